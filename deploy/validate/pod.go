package main

import (
	"fmt"
	"path"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

func (c *checker) checkDeployment(o *object, d *appsv1.Deployment) {
	if d.Spec.Replicas != nil && *d.Spec.Replicas < 0 {
		c.add(o, "spec.replicas", "must not be negative")
	}
	selector := selectorOf(o, "spec.selector", d.Spec.Selector, c)
	if selector != nil && !selector.Matches(labels.Set(d.Spec.Template.Labels)) {
		c.add(o, "spec.selector", "does not select spec.template.metadata.labels: the Deployment would own no pod")
	}
	c.checkPodSpec(o, "spec.template.spec", d.Spec.Template.Spec)
}

// checkPodSpec checks a pod template: containers, probes, resources, references, and the
// "restricted" Pod Security Standard plus a read-only root filesystem.
func (c *checker) checkPodSpec(o *object, at string, spec corev1.PodSpec) {
	if spec.ServiceAccountName != "" && spec.ServiceAccountName != "default" && !c.ix.has("ServiceAccount", spec.ServiceAccountName) {
		c.add(o, at+".serviceAccountName", "names ServiceAccount %q, which is not in these manifests", spec.ServiceAccountName)
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		c.add(o, at, "hostNetwork, hostPID and hostIPC must be off (restricted Pod Security Standard)")
	}
	volumes := map[string]bool{}
	for i, volume := range spec.Volumes {
		vpath := fmt.Sprintf("%s.volumes[%d]", at, i)
		if volumes[volume.Name] {
			c.add(o, vpath+".name", "given twice")
		}
		volumes[volume.Name] = true
		switch {
		case volume.HostPath != nil:
			c.add(o, vpath+".hostPath", "not allowed (restricted Pod Security Standard)")
		case volume.ConfigMap != nil:
			optional := volume.ConfigMap.Optional != nil && *volume.ConfigMap.Optional
			if !optional && !c.ix.has("ConfigMap", volume.ConfigMap.Name) {
				c.add(o, vpath+".configMap.name", "names ConfigMap %q, which is not in these manifests", volume.ConfigMap.Name)
			}
		case volume.Secret != nil:
			optional := volume.Secret.Optional != nil && *volume.Secret.Optional
			c.useSecret(volume.Secret.SecretName, "", optional)
		}
	}
	if len(spec.Containers) == 0 {
		c.add(o, at+".containers", "required: at least one container")
	}
	names := map[string]bool{}
	for i, container := range spec.Containers {
		cpath := fmt.Sprintf("%s.containers[%d]", at, i)
		if msgs := validation.IsDNS1123Label(container.Name); len(msgs) > 0 {
			c.add(o, cpath+".name", "%s", strings.Join(msgs, "; "))
		}
		if names[container.Name] {
			c.add(o, cpath+".name", "given twice")
		}
		names[container.Name] = true
		if strings.TrimSpace(container.Image) == "" {
			c.add(o, cpath+".image", "required")
		}
		c.checkPorts(o, cpath, container)
		c.checkProbe(o, cpath+".livenessProbe", container.LivenessProbe, container, true)
		c.checkProbe(o, cpath+".readinessProbe", container.ReadinessProbe, container, true)
		c.checkProbe(o, cpath+".startupProbe", container.StartupProbe, container, false)
		c.checkResources(o, cpath+".resources", container.Resources)
		c.checkEnv(o, cpath, container)
		mounts := map[string]bool{}
		for j, mount := range container.VolumeMounts {
			mpath := fmt.Sprintf("%s.volumeMounts[%d]", cpath, j)
			if !volumes[mount.Name] {
				c.add(o, mpath+".name", "names volume %q, which %s.volumes does not declare", mount.Name, at)
			}
			if !path.IsAbs(mount.MountPath) {
				c.add(o, mpath+".mountPath", "must be an absolute path")
			}
			if mounts[mount.MountPath] {
				c.add(o, mpath+".mountPath", "mounted twice")
			}
			mounts[mount.MountPath] = true
		}
		c.checkSecurity(o, cpath+".securityContext", spec.SecurityContext, container.SecurityContext)
	}
}

func (c *checker) checkPorts(o *object, cpath string, container corev1.Container) {
	names := map[string]bool{}
	for j, port := range container.Ports {
		ppath := fmt.Sprintf("%s.ports[%d]", cpath, j)
		if port.ContainerPort < 1 || port.ContainerPort > 65535 {
			c.add(o, ppath+".containerPort", "must be 1-65535")
		}
		if port.Name != "" {
			if msgs := validation.IsValidPortName(port.Name); len(msgs) > 0 {
				c.add(o, ppath+".name", "%s", strings.Join(msgs, "; "))
			}
			if names[port.Name] {
				c.add(o, ppath+".name", "given twice")
			}
			names[port.Name] = true
		}
	}
}

func (c *checker) checkProbe(o *object, at string, probe *corev1.Probe, container corev1.Container, required bool) {
	if probe == nil {
		if required {
			c.add(o, at, "required: without it Kubernetes neither restarts a hung process nor keeps traffic from an unready one")
		}
		return
	}
	handlers := 0
	if probe.HTTPGet != nil {
		handlers++
	}
	if probe.TCPSocket != nil {
		handlers++
	}
	if probe.Exec != nil {
		handlers++
	}
	if probe.GRPC != nil {
		handlers++
	}
	if handlers != 1 {
		c.add(o, at, "give exactly one of httpGet, tcpSocket, exec, grpc")
		return
	}
	var port intstr.IntOrString
	switch {
	case probe.HTTPGet != nil:
		port = probe.HTTPGet.Port
		if !strings.HasPrefix(probe.HTTPGet.Path, "/") {
			c.add(o, at+".httpGet.path", "required: an absolute path such as /healthz")
		}
		at += ".httpGet.port"
	case probe.TCPSocket != nil:
		port = probe.TCPSocket.Port
		at += ".tcpSocket.port"
	default:
		return
	}
	if port.Type == intstr.String {
		if !slices.ContainsFunc(container.Ports, func(p corev1.ContainerPort) bool { return p.Name == port.StrVal }) {
			c.add(o, at, "names port %q, which the container does not declare", port.StrVal)
		}
	} else if port.IntVal < 1 || port.IntVal > 65535 {
		c.add(o, at, "must be 1-65535")
	}
}

func (c *checker) checkResources(o *object, at string, resources corev1.ResourceRequirements) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := resources.Requests[name]; !ok {
			c.add(o, fmt.Sprintf("%s.requests.%s", at, name), "required: the scheduler and the autoscaler need it")
		}
	}
	if _, ok := resources.Limits[corev1.ResourceMemory]; !ok {
		c.add(o, at+".limits.memory", "required: a leaking process must not take the node's memory")
	}
	for name, request := range resources.Requests {
		if limit, ok := resources.Limits[name]; ok && request.Cmp(limit) > 0 {
			c.add(o, fmt.Sprintf("%s.requests.%s", at, name), "%s is above the limit %s", request.String(), limit.String())
		}
	}
}

func (c *checker) checkEnv(o *object, cpath string, container corev1.Container) {
	for j, env := range container.Env {
		epath := fmt.Sprintf("%s.env[%d]", cpath, j)
		if msgs := validation.IsEnvVarName(env.Name); len(msgs) > 0 {
			c.add(o, epath+".name", "%s", strings.Join(msgs, "; "))
		}
		if env.ValueFrom == nil {
			continue
		}
		if env.Value != "" {
			c.add(o, epath, "give value or valueFrom, not both")
		}
		from := env.ValueFrom
		sources := 0
		for _, set := range []bool{from.FieldRef != nil, from.ResourceFieldRef != nil, from.ConfigMapKeyRef != nil, from.SecretKeyRef != nil} {
			if set {
				sources++
			}
		}
		if sources != 1 {
			c.add(o, epath+".valueFrom", "give exactly one source")
			continue
		}
		if ref := from.SecretKeyRef; ref != nil {
			if ref.Name == "" || ref.Key == "" {
				c.add(o, epath+".valueFrom.secretKeyRef", "name and key are required")
			}
			c.useSecret(ref.Name, ref.Key, ref.Optional != nil && *ref.Optional)
		}
		if ref := from.ConfigMapKeyRef; ref != nil {
			optional := ref.Optional != nil && *ref.Optional
			if found, ok := c.ix.byKindName["ConfigMap/"+ref.Name]; !ok && !optional {
				c.add(o, epath+".valueFrom.configMapKeyRef.name", "names ConfigMap %q, which is not in these manifests", ref.Name)
			} else if ok && !optional {
				if _, has := found.typed.(*corev1.ConfigMap).Data[ref.Key]; !has {
					c.add(o, epath+".valueFrom.configMapKeyRef.key", "ConfigMap %q has no key %q", ref.Name, ref.Key)
				}
			}
		}
	}
	for j, from := range container.EnvFrom {
		fpath := fmt.Sprintf("%s.envFrom[%d]", cpath, j)
		if (from.ConfigMapRef == nil) == (from.SecretRef == nil) {
			c.add(o, fpath, "give exactly one of configMapRef, secretRef")
			continue
		}
		if ref := from.ConfigMapRef; ref != nil {
			if !(ref.Optional != nil && *ref.Optional) && !c.ix.has("ConfigMap", ref.Name) {
				c.add(o, fpath+".configMapRef.name", "names ConfigMap %q, which is not in these manifests", ref.Name)
			}
		}
		if ref := from.SecretRef; ref != nil {
			c.useSecret(ref.Name, "", ref.Optional != nil && *ref.Optional)
		}
	}
}

// checkSecurity applies the restricted Pod Security Standard (the container's settings win over
// the pod's), and asks for a read-only root filesystem.
func (c *checker) checkSecurity(o *object, at string, pod *corev1.PodSecurityContext, container *corev1.SecurityContext) {
	if pod == nil {
		pod = &corev1.PodSecurityContext{}
	}
	if container == nil {
		container = &corev1.SecurityContext{}
	}
	runAsNonRoot := pod.RunAsNonRoot
	if container.RunAsNonRoot != nil {
		runAsNonRoot = container.RunAsNonRoot
	}
	if runAsNonRoot == nil || !*runAsNonRoot {
		c.add(o, at+".runAsNonRoot", "must be true (here or in the pod's securityContext)")
	}
	runAsUser := pod.RunAsUser
	if container.RunAsUser != nil {
		runAsUser = container.RunAsUser
	}
	if runAsUser != nil && *runAsUser == 0 {
		c.add(o, at+".runAsUser", "must not be 0 (root)")
	}
	if container.Privileged != nil && *container.Privileged {
		c.add(o, at+".privileged", "must be false")
	}
	if container.AllowPrivilegeEscalation == nil || *container.AllowPrivilegeEscalation {
		c.add(o, at+".allowPrivilegeEscalation", "must be false")
	}
	if container.Capabilities == nil || !slices.Contains(container.Capabilities.Drop, "ALL") {
		c.add(o, at+".capabilities.drop", `must contain "ALL"`)
	} else {
		for _, added := range container.Capabilities.Add {
			if added != "NET_BIND_SERVICE" {
				c.add(o, at+".capabilities.add", "%s is not allowed (only NET_BIND_SERVICE)", added)
			}
		}
	}
	seccomp := pod.SeccompProfile
	if container.SeccompProfile != nil {
		seccomp = container.SeccompProfile
	}
	if seccomp == nil || (seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault && seccomp.Type != corev1.SeccompProfileTypeLocalhost) {
		c.add(o, at+".seccompProfile.type", "must be RuntimeDefault or Localhost (here or in the pod's securityContext)")
	}
	if container.ReadOnlyRootFilesystem == nil || !*container.ReadOnlyRootFilesystem {
		c.add(o, at+".readOnlyRootFilesystem", "must be true: mount an emptyDir where the process writes")
	}
}
