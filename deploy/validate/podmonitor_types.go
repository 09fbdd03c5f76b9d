package main

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The Prometheus Operator's monitoring.coreos.com/v1 PodMonitor, written by hand after its
// pkg/apis/monitoring/v1 (v0.93) so the validator does not import the operator's module. Only the
// fields below are accepted (the strict decoder refuses any other, e.g. the endpoint's TLS and
// authorization settings); add a field here, with the operator's JSON name and type, when the
// manifests need it.

type podMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              podMonitorSpec `json:"spec"`
}

type podMonitorSpec struct {
	JobLabel            string               `json:"jobLabel,omitempty"`
	PodTargetLabels     []string             `json:"podTargetLabels,omitempty"`
	PodMetricsEndpoints []podMetricsEndpoint `json:"podMetricsEndpoints"`
	Selector            metav1.LabelSelector `json:"selector"`
	NamespaceSelector   *namespaceSelector   `json:"namespaceSelector,omitempty"`
	SampleLimit         *int64               `json:"sampleLimit,omitempty"`
	TargetLimit         *int64               `json:"targetLimit,omitempty"`
	LabelLimit          *int64               `json:"labelLimit,omitempty"`
	KeepDroppedTargets  *int64               `json:"keepDroppedTargets,omitempty"`
	ScrapeClassName     *string              `json:"scrapeClass,omitempty"`
}

type namespaceSelector struct {
	Any        bool     `json:"any,omitempty"`
	MatchNames []string `json:"matchNames,omitempty"`
}

type podMetricsEndpoint struct {
	Port                 *string             `json:"port,omitempty"`
	PortNumber           *int32              `json:"portNumber,omitempty"`
	Path                 string              `json:"path,omitempty"`
	Scheme               *string             `json:"scheme,omitempty"`
	Params               map[string][]string `json:"params,omitempty"`
	Interval             string              `json:"interval,omitempty"`
	ScrapeTimeout        string              `json:"scrapeTimeout,omitempty"`
	HonorLabels          bool                `json:"honorLabels,omitempty"`
	HonorTimestamps      *bool               `json:"honorTimestamps,omitempty"`
	MetricRelabelConfigs []relabelConfig     `json:"metricRelabelings,omitempty"`
	RelabelConfigs       []relabelConfig     `json:"relabelings,omitempty"`
	FilterRunning        *bool               `json:"filterRunning,omitempty"`
	FollowRedirects      *bool               `json:"followRedirects,omitempty"`
	EnableHTTP2          *bool               `json:"enableHttp2,omitempty"`
}

type relabelConfig struct {
	SourceLabels []string `json:"sourceLabels,omitempty"`
	Separator    *string  `json:"separator,omitempty"`
	TargetLabel  string   `json:"targetLabel,omitempty"`
	Regex        string   `json:"regex,omitempty"`
	Modulus      int64    `json:"modulus,omitempty"`
	Replacement  *string  `json:"replacement,omitempty"`
	Action       string   `json:"action,omitempty"`
}
