package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// schemas maps "apiVersion kind" to a constructor of its typed struct: a kind absent here is refused.
// Core kinds are k8s.io/api's types; KEDA's and the Prometheus Operator's are this module's own
// (keda_types.go, podmonitor_types.go).
var schemas = map[string]func() any{
	"v1 Namespace":                           func() any { return &corev1.Namespace{} },
	"v1 ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"v1 ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1 Secret":                              func() any { return &corev1.Secret{} },
	"v1 Service":                             func() any { return &corev1.Service{} },
	"apps/v1 Deployment":                     func() any { return &appsv1.Deployment{} },
	"policy/v1 PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2 HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1 NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
	"keda.sh/v1alpha1 ScaledObject":          func() any { return &scaledObject{} },
	"keda.sh/v1alpha1 TriggerAuthentication": func() any { return &triggerAuthentication{} },
	"monitoring.coreos.com/v1 PodMonitor":    func() any { return &podMonitor{} },
}

// object is one decoded manifest.
type object struct {
	apiVersion string
	kind       string
	meta       metav1.ObjectMeta
	typed      any
}

func (o *object) id() string {
	return fmt.Sprintf("%s/%s", o.kind, o.meta.Name)
}

type problem struct {
	where   string
	field   string
	message string
}

func (p problem) String() string {
	if p.field == "" {
		return fmt.Sprintf("%s: %s", p.where, p.message)
	}
	return fmt.Sprintf("%s: %s: %s", p.where, p.field, p.message)
}

var strictFieldPattern = regexp.MustCompile(`^(unknown|duplicate) field "([^"]*)"$`)

// decodeAll splits a multi-document YAML stream and decodes each document strictly.
func decodeAll(data []byte) ([]*object, []problem) {
	var objects []*object
	var problems []problem
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		where := fmt.Sprintf("document %d", index+1)
		if err != nil {
			problems = append(problems, problem{where: where, message: err.Error()})
			break
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		object, docProblems := decodeOne(doc, where)
		problems = append(problems, docProblems...)
		if object != nil {
			objects = append(objects, object)
		}
	}
	return objects, problems
}

func decodeOne(doc []byte, where string) (*object, []problem) {
	// A key given twice is refused, never silently overwritten by the last one.
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, []problem{{where: where, message: "not valid YAML: " + err.Error()}}
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, nil
	}
	var head struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        metav1.ObjectMeta `json:"metadata"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, []problem{{where: where, message: "not a Kubernetes object: " + err.Error()}}
	}
	if head.Metadata.Name != "" {
		where = fmt.Sprintf("%s/%s", head.Kind, head.Metadata.Name)
	}
	if head.APIVersion == "" || head.Kind == "" {
		return nil, []problem{{where: where, field: "apiVersion, kind", message: "required"}}
	}
	constructor, known := schemas[head.APIVersion+" "+head.Kind]
	if !known {
		return nil, []problem{{where: where, field: "apiVersion, kind", message: fmt.Sprintf(
			"no schema for %s %s here: use a kind this validator knows (deploy/validate/decode.go)", head.APIVersion, head.Kind)}}
	}
	typed := constructor()
	strict, err := sigsjson.UnmarshalStrict(data, typed, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return nil, []problem{{where: where, message: "does not match its schema: " + err.Error()}}
	}
	var problems []problem
	for _, strictErr := range strict {
		if match := strictFieldPattern.FindStringSubmatch(strictErr.Error()); match != nil {
			problems = append(problems, problem{where: where, field: match[2], message: match[1] + " field"})
		} else {
			problems = append(problems, problem{where: where, message: strictErr.Error()})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &object{apiVersion: head.APIVersion, kind: head.Kind, meta: head.Metadata, typed: typed}, nil
}
