package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
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

func (c *checker) checkScaledObject(o *object, so *kedav1alpha1.ScaledObject) {
	target := so.Spec.ScaleTargetRef
	if target == nil || target.Name == "" {
		c.add(o, "spec.scaleTargetRef.name", "required")
		return
	}
	if target.Kind != "" && target.Kind != "Deployment" {
		c.add(o, "spec.scaleTargetRef.kind", "must be Deployment (the workers)")
	}
	d := c.ix.deployment(target.Name)
	if d == nil {
		c.add(o, "spec.scaleTargetRef.name", "names Deployment %q, which is not in these manifests", target.Name)
	}
	if err := kedav1alpha1.CheckReplicaCountBoundsAreValid(so); err != nil {
		c.add(o, "spec.minReplicaCount, spec.maxReplicaCount", "%v", err)
	}
	if err := kedav1alpha1.CheckFallbackValid(so); err != nil {
		c.add(o, "spec.fallback", "%v", err)
	}
	if err := kedav1alpha1.ValidateTriggers(so.Spec.Triggers); err != nil {
		c.add(o, "spec.triggers", "%v", err)
	}
	for _, other := range c.ix.objects {
		if h, ok := other.typed.(*autoscalingv2.HorizontalPodAutoscaler); ok && h.Spec.ScaleTargetRef.Name == target.Name {
			c.add(o, "spec.scaleTargetRef.name", "Deployment/%s is also scaled by HorizontalPodAutoscaler/%s: remove that one (KEDA makes its own)", target.Name, h.Name)
		}
	}
	for i, trigger := range so.Spec.Triggers {
		at := fmt.Sprintf("spec.triggers[%d]", i)
		if ref := trigger.AuthenticationRef; ref != nil && (ref.Kind == "" || ref.Kind == "TriggerAuthentication") && !c.ix.has("TriggerAuthentication", ref.Name) {
			c.add(o, at+".authenticationRef.name", "names TriggerAuthentication %q, which is not in these manifests", ref.Name)
		}
		if trigger.Type == "temporal" {
			c.checkTemporalTrigger(o, at, trigger, target.Name)
		}
	}
}

func (c *checker) checkTemporalTrigger(o *object, at string, trigger kedav1alpha1.ScaleTriggers, workers string) {
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
