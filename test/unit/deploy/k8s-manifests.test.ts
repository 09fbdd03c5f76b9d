import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { loadConfig } from '../../../schema/config.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { ensureK8sValidate } from '../../../scripts/ensure-k8s-validate.ts';

// The Kubernetes manifests (deploy/k8s) as a cluster would get them: every overlay renders with
// `kubectl kustomize`, and every rendered object passes the offline validator (deploy/validate),
// which decodes it into its typed struct (k8s.io/api, and hand-written mirrors of KEDA's ScaledObject
// and the Prometheus Operator's PodMonitor) refusing unknown fields, then checks required fields,
// probes, security and the references between objects.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const overlays = readdirSync(`${root}deploy/k8s/overlays`).sort();

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

let validator: string;
const rendered = new Map<string, string>();

beforeAll(async () => {
  // A cold build compiles k8s.io/api and apimachinery (no KEDA, Prometheus Operator or client-go):
  // well under a minute on two cores. `npm test` builds it first (scripts/test.js), so here it is found.
  validator = await ensureK8sValidate();
  for (const overlay of overlays) rendered.set(overlay, kustomize(`deploy/k8s/overlays/${overlay}`));
}, 600_000);

/** `kubectl kustomize <dir>`: kubectl ships its own kustomize, so no other tool is needed. */
function kustomize(dir: string): string {
  try {
    return execFileSync('kubectl', ['kustomize', dir], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT') throw new Error('kubectl is needed to render deploy/k8s: apt-get install kubectl');
    throw new Error(`kubectl kustomize ${dir} failed:\n${stderr ?? String(error)}`);
  }
}

function validate(yamlText: string) {
  const result = spawnSync(validator, ['-'], { input: yamlText, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function manifests(overlay: string): Manifest[] {
  return parseAllDocuments(rendered.get(overlay) ?? '').map((doc) => doc.toJS() as Manifest);
}

function find(list: Manifest[], kind: string, namePrefix: string): Manifest {
  const found = list.find((m) => m.kind === kind && m.metadata.name.startsWith(namePrefix));
  if (!found) throw new Error(`no ${kind} ${namePrefix}* in the render`);
  return found;
}

type Container = { args: string[]; ports: { name: string; containerPort: number }[] };
function container(list: Manifest[], deployment: string): Container {
  const spec = find(list, 'Deployment', deployment).spec as {
    template: { spec: { containers: Container[] } };
  };
  return spec.template.spec.containers[0] as Container;
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('has the dev, production and production-keda overlays', () => {
    expect(overlays).toEqual(['dev', 'production', 'production-keda']);
  });

  it.each(overlays)('overlay %s renders and every object is valid', (overlay) => {
    const { status, output } = validate(rendered.get(overlay) ?? '');
    expect(output).toMatch(/^ok: \d+ objects valid/);
    expect(status).toBe(0);
    // Secrets are referenced, never carried: the validator lists the ones to create.
    expect(output).toContain(
      'secret to create: swarmflow-secrets (keys: DATABASE_URL, SWARMFLOW_ENCRYPTION_KEYS)',
    );
    expect(output).toContain('secret to create: swarmflow-provider-keys');
  });

  it.each(overlays)('overlay %s runs the CLI the way it is meant to be run', (overlay) => {
    const list = manifests(overlay);
    const api = container(list, 'swarmflow-api');
    expect(api.args).toEqual(['node', 'bin/swarmflow.js', 'serve', '--host', '0.0.0.0', '--port', '8787']);
    expect(api.ports).toEqual([{ name: 'http', containerPort: 8787, protocol: 'TCP' }]);
    const worker = container(list, 'swarmflow-worker');
    expect(worker.args).toEqual(['node', 'bin/swarmflow.js', 'worker', '--metrics-port', '9464']);
    expect(worker.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);

    // The settings the ConfigMaps carry are ones the code accepts.
    const env = find(list, 'ConfigMap', 'swarmflow-env').data as Record<string, string>;
    const config = loadConfig({
      ...env,
      DATABASE_URL: 'postgres://swarmflow:secret@postgresql:5432/swarmflow',
    });
    expect(config.taskQueue).toBe(env.SWARMFLOW_TASK_QUEUE);
    expect(env.SWARMFLOW_CONFIG).toBe('/etc/swarmflow/swarmflow.config.json');
    const file = find(list, 'ConfigMap', 'swarmflow-config').data as Record<string, string>;
    expect(DeploymentConfig.safeParse(JSON.parse(file['swarmflow.config.json'] ?? '')).success).toBe(true);
  });

  it('scales the workers with KEDA on the task queue the workers poll, in place of the CPU autoscaler', () => {
    const list = manifests('production-keda');
    expect(list.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
    const scaler = find(list, 'ScaledObject', 'swarmflow-worker').spec as {
      triggers: { type: string; metadata: Record<string, string> }[];
    };
    const env = find(list, 'ConfigMap', 'swarmflow-env').data as Record<string, string>;
    expect(scaler.triggers[0]?.type).toBe('temporal');
    expect(scaler.triggers[0]?.metadata).toMatchObject({
      endpoint: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.SWARMFLOW_TASK_QUEUE,
    });
    expect(manifests('production').some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(true);
  });

  it('refuses an unknown field, naming the object and the field', () => {
    const { status, output } = validate(readFileSync(`${root}test/fixtures/k8s/unknown-field.yaml`, 'utf8'));
    expect(status).toBe(1);
    expect(output).toContain(
      'Deployment/typo-worker: spec.template.spec.containers[0].livenessprobe: unknown field',
    );
  });

  it('refuses broken references: a probe on an undeclared port, a scaler on another queue, a Secret with values', () => {
    const docs = parseAllDocuments(rendered.get('production-keda') ?? '');
    for (const doc of docs) {
      const kind = doc.get('kind');
      const name = String(doc.getIn(['metadata', 'name']));
      if (kind === 'Deployment' && name === 'swarmflow-worker') {
        doc.setIn(
          ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe', 'httpGet', 'port'],
          'health',
        );
      }
      if (kind === 'ScaledObject') doc.setIn(['spec', 'triggers', 0, 'metadata', 'taskQueue'], 'elsewhere');
    }
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'swarmflow-secrets', namespace: 'swarmflow' },
    };
    const text = `${docs.map((doc) => doc.toString()).join('---\n')}---\n${stringify(secret)}`;
    const { status, output } = validate(text);
    expect(status).toBe(1);
    expect(output).toContain(
      'Deployment/swarmflow-worker: spec.template.spec.containers[0].readinessProbe.httpGet.port: names port "health", which the container does not declare',
    );
    expect(output).toContain(
      `ScaledObject/swarmflow-worker: spec.triggers[0].metadata.taskQueue: is "elsewhere", but Deployment/swarmflow-worker's SWARMFLOW_TASK_QUEUE is "swarmflow"`,
    );
    expect(output).toContain("Secret/swarmflow-secrets: a Secret's values do not belong in the manifests");
  });
  it("checks KEDA's and the Prometheus Operator's kinds strictly, though the validator mirrors them by hand", () => {
    const edit = (change: (doc: ReturnType<typeof parseAllDocuments>[number], kind: unknown) => void) => {
      const docs = parseAllDocuments(rendered.get('production-keda') ?? '');
      for (const doc of docs) change(doc, doc.get('kind'));
      return validate(docs.map((doc) => doc.toString()).join('---\n'));
    };
    const typos = edit((doc, kind) => {
      if (kind === 'ScaledObject') doc.setIn(['spec', 'minReplicas'], 1);
      if (kind === 'PodMonitor') doc.setIn(['spec', 'podMetricsEndpoints', 0, 'intervall'], '30s');
    });
    expect(typos.status).toBe(1);
    expect(typos.output).toContain('ScaledObject/swarmflow-worker: spec.minReplicas: unknown field');
    expect(typos.output).toContain(
      'PodMonitor/swarmflow: spec.podMetricsEndpoints[0].intervall: unknown field',
    );

    const values = edit((doc, kind) => {
      if (kind === 'ScaledObject') {
        doc.setIn(['spec', 'minReplicaCount'], 50);
        doc.setIn(['spec', 'maxReplicaCount'], 5);
        doc.setIn(['spec', 'triggers', 0, 'metadata', 'taskqueue'], 'swarmflow');
      }
      if (kind === 'PodMonitor') {
        doc.setIn(['spec', 'podMetricsEndpoints', 0, 'interval'], '30sec');
        doc.setIn(['spec', 'podMetricsEndpoints', 1, 'port'], 'metricz');
      }
    });
    expect(values.status).toBe(1);
    expect(values.output).toContain(
      'ScaledObject/swarmflow-worker: spec.minReplicaCount, spec.maxReplicaCount: minReplicaCount (50) is above maxReplicaCount (5)',
    );
    expect(values.output).toContain(
      "ScaledObject/swarmflow-worker: spec.triggers[0].metadata.taskqueue: unknown setting of KEDA's temporal scaler",
    );
    expect(values.output).toContain(
      'PodMonitor/swarmflow: spec.podMetricsEndpoints[0].interval: "30sec" is not a Prometheus duration',
    );
    expect(values.output).toContain(
      'PodMonitor/swarmflow: spec.podMetricsEndpoints[1].port: names port "metricz", which no selected pod declares',
    );

    // The CPU autoscaler of the production overlay next to the ScaledObject: two autoscalers fight.
    const scaledObject = parseAllDocuments(rendered.get('production-keda') ?? '').find(
      (doc) => doc.get('kind') === 'ScaledObject',
    );
    const both = validate(`${rendered.get('production')}---\n${scaledObject?.toString()}`);
    expect(both.status).toBe(1);
    expect(both.output).toContain(
      'ScaledObject/swarmflow-worker: spec.scaleTargetRef.name: Deployment/swarmflow-worker is also scaled by HorizontalPodAutoscaler/swarmflow-worker',
    );
  });
});
