package main

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// secretUse is what the manifests expect of a Secret they reference but do not carry.
type secretUse struct {
	keys     map[string]bool
	optional bool
}

func (s *secretUse) String() string {
	parts := []string{}
	if len(s.keys) > 0 {
		keys := make([]string, 0, len(s.keys))
		for key := range s.keys {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		parts = append(parts, "keys: "+strings.Join(keys, ", "))
	} else {
		parts = append(parts, "any keys, loaded as environment variables")
	}
	if s.optional {
		parts = append(parts, "optional")
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// index finds the objects a manifest refers to.
type index struct {
	objects     []*object
	byKindName  map[string]*object
	deployments []*appsv1.Deployment
}

func newIndex(objects []*object) *index {
	ix := &index{objects: objects, byKindName: map[string]*object{}}
	for _, o := range objects {
		ix.byKindName[o.kind+"/"+o.meta.Name] = o
		if d, ok := o.typed.(*appsv1.Deployment); ok {
			ix.deployments = append(ix.deployments, d)
		}
	}
	return ix
}

func (ix *index) has(kind, name string) bool {
	_, ok := ix.byKindName[kind+"/"+name]
	return ok
}

func (ix *index) deployment(name string) *appsv1.Deployment {
	if o, ok := ix.byKindName["Deployment/"+name]; ok {
		return o.typed.(*appsv1.Deployment)
	}
	return nil
}

// selected are the Deployments whose pod template a label selector picks.
func (ix *index) selected(selector labels.Selector) []*appsv1.Deployment {
	var found []*appsv1.Deployment
	for _, d := range ix.deployments {
		if selector.Matches(labels.Set(d.Spec.Template.Labels)) {
			found = append(found, d)
		}
	}
	return found
}

// configMapValue resolves an environment variable a container gets from a rendered ConfigMap.
func (ix *index) configMapValue(container corev1.Container, name string) (string, bool) {
	for _, env := range container.Env {
		if env.Name == name && env.ValueFrom == nil {
			return env.Value, true
		}
	}
	for _, from := range container.EnvFrom {
		if from.ConfigMapRef == nil {
			continue
		}
		if o, ok := ix.byKindName["ConfigMap/"+from.ConfigMapRef.Name]; ok {
			if value, ok := o.typed.(*corev1.ConfigMap).Data[from.Prefix+name]; ok {
				return value, true
			}
		}
	}
	return "", false
}

type checker struct {
	ix       *index
	problems []problem
	secrets  map[string]*secretUse
}

func (c *checker) add(o *object, path string, format string, args ...any) {
	c.problems = append(c.problems, problem{where: o.id(), field: path, message: fmt.Sprintf(format, args...)})
}

func (c *checker) addErrors(o *object, errs field.ErrorList) {
	for _, err := range errs {
		c.problems = append(c.problems, problem{where: o.id(), field: err.Field, message: err.ErrorBody()})
	}
}

func (c *checker) useSecret(name, key string, optional bool) {
	use, ok := c.secrets[name]
	if !ok {
		use = &secretUse{keys: map[string]bool{}, optional: true}
		c.secrets[name] = use
	}
	if key != "" {
		use.keys[key] = true
	}
	use.optional = use.optional && optional
}

func checkObjects(objects []*object) []problem {
	c := &checker{ix: newIndex(objects), secrets: map[string]*secretUse{}}
	c.run()
	return c.problems
}

func referencedSecrets(objects []*object) map[string]*secretUse {
	c := &checker{ix: newIndex(objects), secrets: map[string]*secretUse{}}
	c.run()
	return c.secrets
}

func (c *checker) run() {
	seen := map[string]bool{}
	namespaces := map[string]bool{}
	for _, o := range c.ix.objects {
		if seen[o.id()] {
			c.add(o, "metadata.name", "given twice: another %s has this name", o.kind)
		}
		seen[o.id()] = true
		c.checkMeta(o)
		if o.kind != "Namespace" {
			namespaces[o.meta.Namespace] = true
		}
		switch typed := o.typed.(type) {
		case *corev1.Secret:
			c.add(o, "", "a Secret's values do not belong in the manifests: create it in the cluster and reference it")
		case *corev1.Service:
			c.checkService(o, typed)
		case *appsv1.Deployment:
			c.checkDeployment(o, typed)
		case *policyv1.PodDisruptionBudget:
			c.checkPDB(o, typed)
		case *autoscalingv2.HorizontalPodAutoscaler:
			c.checkHPA(o, typed)
		case *scaledObject:
			c.checkScaledObject(o, typed)
		case *triggerAuthentication:
			c.checkTriggerAuthentication(o, typed)
		case *podMonitor:
			c.checkPodMonitor(o, typed)
		}
	}
	if len(namespaces) > 1 {
		names := make([]string, 0, len(namespaces))
		for name := range namespaces {
			names = append(names, fmt.Sprintf("%q", name))
		}
		sort.Strings(names)
		c.problems = append(c.problems, problem{where: "objects", field: "metadata.namespace",
			message: "differs between objects (" + strings.Join(names, ", ") + "): one overlay deploys into one namespace"})
	}
}

func (c *checker) checkMeta(o *object) {
	nameFn := apivalidation.NameIsDNSSubdomain
	if o.kind == "Service" || o.kind == "Namespace" {
		nameFn = apivalidation.NameIsDNS1035Label
		if o.kind == "Namespace" {
			nameFn = apivalidation.NameIsDNSLabel
		}
	}
	requiresNamespace := o.kind != "Namespace" && o.meta.Namespace != ""
	c.addErrors(o, apivalidation.ValidateObjectMeta(&o.meta, requiresNamespace, nameFn, field.NewPath("metadata")))
}

func selectorOf(o *object, path string, selector *metav1.LabelSelector, c *checker) labels.Selector {
	if selector == nil || (len(selector.MatchLabels) == 0 && len(selector.MatchExpressions) == 0) {
		c.add(o, path, "required: a selector that picks this component's pods")
		return nil
	}
	parsed, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		c.add(o, path, "%v", err)
		return nil
	}
	return parsed
}

func (c *checker) checkService(o *object, s *corev1.Service) {
	if len(s.Spec.Ports) == 0 {
		c.add(o, "spec.ports", "required: at least one port")
	}
	var targets []*appsv1.Deployment
	if len(s.Spec.Selector) == 0 {
		c.add(o, "spec.selector", "required: a selector that picks this service's pods")
	} else {
		targets = c.ix.selected(labels.SelectorFromSet(s.Spec.Selector))
		if len(targets) == 0 {
			c.add(o, "spec.selector", "selects no Deployment's pods here")
		}
	}
	names := map[string]bool{}
	for i, port := range s.Spec.Ports {
		path := fmt.Sprintf("spec.ports[%d]", i)
		if port.Port < 1 || port.Port > 65535 {
			c.add(o, path+".port", "must be 1-65535")
		}
		if len(s.Spec.Ports) > 1 && port.Name == "" {
			c.add(o, path+".name", "required when a service has several ports")
		}
		if names[port.Name] {
			c.add(o, path+".name", "given twice")
		}
		names[port.Name] = true
		if port.TargetPort.Type == intstr.String {
			for _, d := range targets {
				if !templateHasPort(d.Spec.Template.Spec, port.TargetPort.StrVal) {
					c.add(o, path+".targetPort", "names port %q, which Deployment/%s's containers do not declare", port.TargetPort.StrVal, d.Name)
				}
			}
		}
	}
}

func templateHasPort(spec corev1.PodSpec, name string) bool {
	for _, container := range spec.Containers {
		for _, port := range container.Ports {
			if port.Name == name {
				return true
			}
		}
	}
	return false
}

func (c *checker) checkPDB(o *object, p *policyv1.PodDisruptionBudget) {
	if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
		c.add(o, "spec.minAvailable, spec.maxUnavailable", "give exactly one")
	}
	selector := selectorOf(o, "spec.selector", p.Spec.Selector, c)
	if selector == nil {
		return
	}
	targets := c.ix.selected(selector)
	if len(targets) == 0 {
		c.add(o, "spec.selector", "selects no Deployment's pods here")
	}
	for _, d := range targets {
		replicas := int32(1)
		if d.Spec.Replicas != nil {
			replicas = *d.Spec.Replicas
		}
		if p.Spec.MinAvailable != nil && p.Spec.MinAvailable.Type == intstr.Int && p.Spec.MinAvailable.IntVal >= replicas {
			c.add(o, "spec.minAvailable", "is %d with Deployment/%s at %d replica(s): no pod could ever be evicted, so node drains block", p.Spec.MinAvailable.IntVal, d.Name, replicas)
		}
		if p.Spec.MaxUnavailable != nil && p.Spec.MaxUnavailable.Type == intstr.Int && p.Spec.MaxUnavailable.IntVal < 1 {
			c.add(o, "spec.maxUnavailable", "is 0: no pod of Deployment/%s could ever be evicted, so node drains block", d.Name)
		}
	}
}

func (c *checker) checkHPA(o *object, h *autoscalingv2.HorizontalPodAutoscaler) {
	target := h.Spec.ScaleTargetRef
	if target.Kind != "Deployment" || target.APIVersion != "apps/v1" {
		c.add(o, "spec.scaleTargetRef", "must name an apps/v1 Deployment of these manifests")
	}
	d := c.ix.deployment(target.Name)
	if d == nil {
		c.add(o, "spec.scaleTargetRef.name", "names Deployment %q, which is not in these manifests", target.Name)
	}
	min := int32(1)
	if h.Spec.MinReplicas != nil {
		min = *h.Spec.MinReplicas
	}
	if min < 1 {
		c.add(o, "spec.minReplicas", "must be at least 1")
	}
	if h.Spec.MaxReplicas < min {
		c.add(o, "spec.maxReplicas", "is %d, below spec.minReplicas (%d)", h.Spec.MaxReplicas, min)
	}
	if len(h.Spec.Metrics) == 0 {
		c.add(o, "spec.metrics", "required: at least one metric")
	}
	for i, metric := range h.Spec.Metrics {
		if metric.Type != autoscalingv2.ResourceMetricSourceType || metric.Resource == nil || d == nil {
			continue
		}
		if metric.Resource.Target.Type != autoscalingv2.UtilizationMetricType {
			continue
		}
		for j, container := range d.Spec.Template.Spec.Containers {
			if _, ok := container.Resources.Requests[metric.Resource.Name]; !ok {
				c.add(o, fmt.Sprintf("spec.metrics[%d].resource", i),
					"targets %s utilization, but Deployment/%s's spec.template.spec.containers[%d] requests no %s", metric.Resource.Name, d.Name, j, metric.Resource.Name)
			}
		}
	}
	for _, other := range c.ix.objects {
		if so, ok := other.typed.(*scaledObject); ok && so.Spec.ScaleTargetRef != nil && so.Spec.ScaleTargetRef.Name == target.Name {
			c.add(o, "spec.scaleTargetRef.name", "Deployment/%s is also scaled by ScaledObject/%s: two autoscalers on one Deployment fight", target.Name, so.Name)
		}
	}
}
