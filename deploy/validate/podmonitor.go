package main

import (
	"fmt"
	"regexp"
	"strings"
)

// prometheusDuration is the pattern the PodMonitor CRD gives its durations (Prometheus' model.ParseDuration).
var prometheusDuration = regexp.MustCompile(`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`)

var relabelActions = map[string]bool{
	"": true, "replace": true, "keep": true, "drop": true, "hashmod": true, "labelmap": true, "labeldrop": true,
	"labelkeep": true, "lowercase": true, "uppercase": true, "keepequal": true, "dropequal": true,
}

func (c *checker) checkPodMonitor(o *object, m *podMonitor) {
	selector := selectorOf(o, "spec.selector", &m.Spec.Selector, c)
	if selector == nil {
		return
	}
	targets := c.ix.selected(selector)
	if len(targets) == 0 {
		c.add(o, "spec.selector", "selects no Deployment's pods here")
	}
	if len(m.Spec.PodMetricsEndpoints) == 0 {
		c.add(o, "spec.podMetricsEndpoints", "required: at least one endpoint")
	}
	for i, endpoint := range m.Spec.PodMetricsEndpoints {
		path := fmt.Sprintf("spec.podMetricsEndpoints[%d]", i)
		if endpoint.Path != "" && !strings.HasPrefix(endpoint.Path, "/") {
			c.add(o, path+".path", "%q must be an absolute path such as /metrics", endpoint.Path)
		}
		if endpoint.Scheme != nil && *endpoint.Scheme != "http" && *endpoint.Scheme != "https" {
			c.add(o, path+".scheme", "%q is not http or https", *endpoint.Scheme)
		}
		for _, duration := range []struct{ name, value string }{{"interval", endpoint.Interval}, {"scrapeTimeout", endpoint.ScrapeTimeout}} {
			if duration.value != "" && !prometheusDuration.MatchString(duration.value) {
				c.add(o, path+"."+duration.name, "%q is not a Prometheus duration such as 30s or 1m", duration.value)
			}
		}
		for j, relabel := range append(append([]relabelConfig{}, endpoint.RelabelConfigs...), endpoint.MetricRelabelConfigs...) {
			if !relabelActions[strings.ToLower(relabel.Action)] {
				field := fmt.Sprintf("%s.relabelings[%d].action", path, j)
				if j >= len(endpoint.RelabelConfigs) {
					field = fmt.Sprintf("%s.metricRelabelings[%d].action", path, j-len(endpoint.RelabelConfigs))
				}
				c.add(o, field, "%q is not a Prometheus relabel action", relabel.Action)
			}
		}
		if endpoint.PortNumber != nil && (*endpoint.PortNumber < 1 || *endpoint.PortNumber > 65535) {
			c.add(o, path+".portNumber", "must be 1-65535")
		}
		if endpoint.Port == nil || *endpoint.Port == "" {
			if endpoint.PortNumber == nil {
				c.add(o, path+".port", "required: the name of the container port to scrape (or portNumber)")
			}
			continue
		}
		found := false
		for _, d := range targets {
			found = found || templateHasPort(d.Spec.Template.Spec, *endpoint.Port)
		}
		if !found {
			c.add(o, path+".port", "names port %q, which no selected pod declares", *endpoint.Port)
		}
	}
}
