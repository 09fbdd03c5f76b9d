package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
)

// temporalMetadata are the settings of KEDA's `temporal` scaler (KEDA v2.20,
// pkg/scalers/temporal_scaler.go); its trigger metadata is a free map, so unknown keys are caught here.
var temporalMetadata = map[string]bool{
	"endpoint": true, "endpointFromEnv": true, "namespace": true, "namespaceFromEnv": true,
	"activationTargetQueueSize": true, "targetQueueSize": true, "taskQueue": true, "taskQueueFromEnv": true,
	"queueTypes": true, "buildId": true, "buildIdFromEnv": true, "workerDeploymentName": true,
	"workerDeploymentNameFromEnv": true, "workerDeploymentBuildId": true, "workerDeploymentBuildIdFromEnv": true,
	"selectAllActive": true, "selectUnversioned": true, "minConnectTimeout": true, "unsafeSsl": true,
	"tlsServerName": true,
}

var temporalIntegers = []string{"targetQueueSize", "activationTargetQueueSize", "minConnectTimeout"}

var temporalQueueTypes = map[string]bool{"workflow": true, "activity": true, "nexus": true}

var kedaFallbackBehaviors = map[string]bool{
	"": true, "static": true, "currentReplicas": true, "currentReplicasIfHigher": true,
	"currentReplicasIfLower": true, "scalingModifiers": true,
}

var metricTargetTypes = map[autoscalingv2.MetricTargetType]bool{
	"": true, autoscalingv2.AverageValueMetricType: true, autoscalingv2.ValueMetricType: true,
	autoscalingv2.UtilizationMetricType: true,
}

func (c *checker) checkScaledObject(o *object, so *scaledObject) {
	spec := so.Spec
	target := spec.ScaleTargetRef
	if target == nil || target.Name == "" {
		c.add(o, "spec.scaleTargetRef.name", "required")
		return
	}
	if target.Kind != "" && target.Kind != "Deployment" {
		c.add(o, "spec.scaleTargetRef.kind", "must be Deployment (the workers)")
	}
	if target.APIVersion != "" && target.APIVersion != "apps/v1" {
		c.add(o, "spec.scaleTargetRef.apiVersion", "must be apps/v1 (a Deployment)")
	}
	d := c.ix.deployment(target.Name)
	if d == nil {
		c.add(o, "spec.scaleTargetRef.name", "names Deployment %q, which is not in these manifests", target.Name)
	}
	c.checkReplicaBounds(o, spec)
	if spec.PollingInterval != nil && *spec.PollingInterval < 1 {
		c.add(o, "spec.pollingInterval", "must be at least 1 (seconds)")
	}
	if spec.CooldownPeriod != nil && *spec.CooldownPeriod < 0 {
		c.add(o, "spec.cooldownPeriod", "must not be negative (seconds)")
	}
	if spec.InitialCooldownPeriod != nil && *spec.InitialCooldownPeriod < 0 {
		c.add(o, "spec.initialCooldownPeriod", "must not be negative (seconds)")
	}
	if fallback := spec.Fallback; fallback != nil {
		if fallback.FailureThreshold < 0 || fallback.Replicas < 0 {
			c.add(o, "spec.fallback", "failureThreshold and replicas must not be negative")
		}
		if !kedaFallbackBehaviors[fallback.Behavior] {
			c.add(o, "spec.fallback.behavior", "%q is not static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower or scalingModifiers", fallback.Behavior)
		}
		usesModifiers := spec.Advanced != nil && spec.Advanced.ScalingModifiers != nil && *spec.Advanced.ScalingModifiers != (scalingModifiers{})
		if !usesModifiers && !slices.ContainsFunc(spec.Triggers, func(t scaleTrigger) bool { return t.Type != "cpu" && t.Type != "memory" }) {
			c.add(o, "spec.fallback", "needs a trigger that is not cpu or memory (one with an AverageValue target)")
		}
	}
	if len(spec.Triggers) == 0 {
		c.add(o, "spec.triggers", "required: at least one trigger")
	}
	triggerNames := map[string]bool{}
	for i, trigger := range spec.Triggers {
		at := fmt.Sprintf("spec.triggers[%d]", i)
		if trigger.Type == "" {
			c.add(o, at+".type", "required: the scaler, e.g. temporal")
		}
		if trigger.Name != "" {
			if triggerNames[trigger.Name] {
				c.add(o, at+".name", "%q is given to another trigger too: trigger names must be unique", trigger.Name)
			}
			triggerNames[trigger.Name] = true
		}
		if trigger.UseCachedMetrics && (trigger.Type == "cpu" || trigger.Type == "memory" || trigger.Type == "cron") {
			c.add(o, at+".useCachedMetrics", "not supported by the %s scaler", trigger.Type)
		}
		if !metricTargetTypes[trigger.MetricType] {
			c.add(o, at+".metricType", "%q is not AverageValue, Value or Utilization", trigger.MetricType)
		}
		if ref := trigger.AuthenticationRef; ref != nil {
			if ref.Name == "" {
				c.add(o, at+".authenticationRef.name", "required")
			} else if (ref.Kind == "" || ref.Kind == "TriggerAuthentication") && !c.ix.has("TriggerAuthentication", ref.Name) {
				c.add(o, at+".authenticationRef.name", "names TriggerAuthentication %q, which is not in these manifests", ref.Name)
			} else if ref.Kind != "" && ref.Kind != "TriggerAuthentication" && ref.Kind != "ClusterTriggerAuthentication" {
				c.add(o, at+".authenticationRef.kind", "must be TriggerAuthentication or ClusterTriggerAuthentication")
			}
		}
		if trigger.Type == "temporal" {
			c.checkTemporalTrigger(o, at, trigger, target.Name)
		}
	}
	for _, other := range c.ix.objects {
		if h, ok := other.typed.(*autoscalingv2.HorizontalPodAutoscaler); ok && h.Spec.ScaleTargetRef.Name == target.Name {
			c.add(o, "spec.scaleTargetRef.name", "Deployment/%s is also scaled by HorizontalPodAutoscaler/%s: remove that one (KEDA makes its own)", target.Name, h.Name)
		}
	}
}

// checkReplicaBounds follows KEDA's webhook: minReplicaCount defaults to 0, maxReplicaCount to 100,
// and idleReplicaCount must stay below minReplicaCount.
func (c *checker) checkReplicaBounds(o *object, spec scaledObjectSpec) {
	min, max := int32(0), int32(100)
	if spec.MinReplicaCount != nil {
		min = *spec.MinReplicaCount
		if min < 0 {
			c.add(o, "spec.minReplicaCount", "must not be negative")
		}
	}
	if spec.MaxReplicaCount != nil {
		max = *spec.MaxReplicaCount
		if max < 1 {
			c.add(o, "spec.maxReplicaCount", "must be at least 1")
		}
	}
	if min > max {
		c.add(o, "spec.minReplicaCount, spec.maxReplicaCount", "minReplicaCount (%d) is above maxReplicaCount (%d)", min, max)
	}
	if spec.IdleReplicaCount != nil && *spec.IdleReplicaCount >= min {
		c.add(o, "spec.idleReplicaCount", "is %d: it must be below minReplicaCount (%d)", *spec.IdleReplicaCount, min)
	}
}

// checkTriggerAuthentication records the Secrets it reads and checks each source is complete.
func (c *checker) checkTriggerAuthentication(o *object, ta *triggerAuthentication) {
	spec := ta.Spec
	if spec.PodIdentity == nil && len(spec.SecretTargetRef) == 0 && len(spec.ConfigMapTargetRef) == 0 && len(spec.Env) == 0 && spec.FilePath == "" {
		c.add(o, "spec", "required: at least one of secretTargetRef, configMapTargetRef, env, podIdentity, filePath")
	}
	for i, ref := range spec.SecretTargetRef {
		if ref.Parameter == "" || ref.Name == "" || ref.Key == "" {
			c.add(o, fmt.Sprintf("spec.secretTargetRef[%d]", i), "parameter, name and key are required")
			continue
		}
		c.useSecret(ref.Name, ref.Key, false)
	}
	for i, ref := range spec.ConfigMapTargetRef {
		at := fmt.Sprintf("spec.configMapTargetRef[%d]", i)
		if ref.Parameter == "" || ref.Name == "" || ref.Key == "" {
			c.add(o, at, "parameter, name and key are required")
		} else if found, ok := c.ix.byKindName["ConfigMap/"+ref.Name]; !ok {
			c.add(o, at+".name", "names ConfigMap %q, which is not in these manifests", ref.Name)
		} else if _, has := found.typed.(*corev1.ConfigMap).Data[ref.Key]; !has {
			c.add(o, at+".key", "ConfigMap %q has no key %q", ref.Name, ref.Key)
		}
	}
	for i, env := range spec.Env {
		if env.Parameter == "" || env.Name == "" {
			c.add(o, fmt.Sprintf("spec.env[%d]", i), "parameter and name are required")
		}
	}
	if id := spec.PodIdentity; id != nil && !kedaPodIdentityProviders[id.Provider] {
		c.add(o, "spec.podIdentity.provider", "%q is not azure-workload, gcp, aws, aws-eks or none", id.Provider)
	}
}

var kedaPodIdentityProviders = map[string]bool{"azure-workload": true, "gcp": true, "aws": true, "aws-eks": true, "none": true}

func (c *checker) checkTemporalTrigger(o *object, at string, trigger scaleTrigger, workers string) {
	metadata := trigger.Metadata
	keys := make([]string, 0, len(metadata))
	for key := range metadata {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !temporalMetadata[key] {
			c.add(o, at+".metadata."+key, "unknown setting of KEDA's temporal scaler")
		}
	}
	for _, required := range []string{"endpoint", "taskQueue"} {
		if metadata[required] == "" && metadata[required+"FromEnv"] == "" {
			c.add(o, at+".metadata."+required, "required (or %sFromEnv)", required)
		}
	}
	for _, key := range temporalIntegers {
		if value, ok := metadata[key]; ok {
			if n, err := strconv.ParseInt(value, 10, 64); err != nil || n < 0 {
				c.add(o, at+".metadata."+key, "%q is not a whole number", value)
			}
		}
	}
	if value, ok := metadata["targetQueueSize"]; ok && value == "0" {
		c.add(o, at+".metadata.targetQueueSize", "must be at least 1")
	}
	if types, ok := metadata["queueTypes"]; ok {
		for _, kind := range strings.Split(types, ",") {
			if !temporalQueueTypes[strings.TrimSpace(kind)] {
				c.add(o, at+".metadata.queueTypes", "%q is not workflow, activity or nexus", kind)
			}
		}
	}
	deployment := c.ix.deployment(workers)
	if deployment == nil || len(deployment.Spec.Template.Spec.Containers) == 0 {
		return
	}
	container := deployment.Spec.Template.Spec.Containers[0]
	// The scaler must watch the queue the workers poll, on the Temporal they connect to.
	for _, pair := range [][2]string{{"endpoint", "TEMPORAL_ADDRESS"}, {"namespace", "TEMPORAL_NAMESPACE"}, {"taskQueue", "SWARMFLOW_TASK_QUEUE"}} {
		key, variable := pair[0], pair[1]
		value, set := metadata[key]
		if !set {
			continue
		}
		if polled, ok := c.ix.configMapValue(container, variable); ok && polled != value {
			c.add(o, at+".metadata."+key, "is %q, but Deployment/%s's %s is %q", value, deployment.Name, variable, polled)
		}
	}
}
