import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM file paths of a throwaway certificate authority and what it signed. */
export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The one name the server certificate is valid for (a DNS SAN; not the proxy's 127.0.0.1). */
  serverName: string;
  /** The client certificate's common name. */
  clientName: string;
}

/** A new P-256 key, unencrypted. */
const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';

/**
 * Makes a CA, a server certificate for `temporal.test` and a client certificate in `dir` with the
 * `openssl` command (P-256 keys, valid one day). The CA signs both; nothing else trusts it.
 */
export async function createTestPki(dir: string): Promise<TestPki> {
  // `words` are split on spaces; `args` go as they are.
  const openssl = (words: string, ...args: string[]) =>
    run('openssl', [...words.split(' '), ...args], { cwd: dir });
  await openssl(
    `req -x509 ${newKey} -keyout ca.key -out ca.pem -days 1 -subj`,
    '/CN=Swarmflow test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const issue = async (name: string, commonName: string, extensions: string[]) => {
    await openssl(`req ${newKey} -keyout ${name}.key -out ${name}.csr -subj`, `/CN=${commonName}`);
    await writeFile(join(dir, `${name}.ext`), `${['basicConstraints=CA:FALSE', ...extensions].join('\n')}\n`);
    await openssl(
      `x509 -req -in ${name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out ${name}.pem -extfile ${name}.ext`,
    );
  };
  const serverName = 'temporal.test';
  const clientName = 'swarmflow-test-worker';
  await issue('server', serverName, [`subjectAltName=DNS:${serverName}`, 'extendedKeyUsage=serverAuth']);
  await issue('client', clientName, ['extendedKeyUsage=clientAuth']);
  const file = (name: string) => join(dir, name);
  return {
    caCert: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    serverName,
    clientName,
  };
}
