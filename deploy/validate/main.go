// Command k8s-validate checks rendered Kubernetes manifests offline: every object is decoded into
// its typed Go struct (k8s.io/api for core kinds; hand-written mirrors of KEDA's and the Prometheus
// Operator's kinds) with unknown and duplicate fields refused, then its required fields and the
// references between objects are checked.
//
//	kubectl kustomize deploy/k8s/overlays/production | k8s-validate -
//
// It prints one line per problem, "<Kind>/<name>: <field path>: <what is wrong>", and exits 1 when
// there is any; otherwise a summary of the objects and of the Secrets they expect to exist.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"-"}
	}
	var all []*object
	var problems []problem
	for _, name := range args {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintf(stderr, "k8s-validate: %v\n", err)
			return 2
		}
		objects, decodeProblems := decodeAll(data)
		all = append(all, objects...)
		problems = append(problems, decodeProblems...)
	}
	if len(all) == 0 && len(problems) == 0 {
		problems = append(problems, problem{where: "input", field: "", message: "no Kubernetes object found"})
	}
	problems = append(problems, checkObjects(all)...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stdout, p.String())
		}
		fmt.Fprintf(stdout, "%d problem(s) in %d object(s)\n", len(problems), len(all))
		return 1
	}
	names := make([]string, 0, len(all))
	for _, o := range all {
		names = append(names, o.id())
	}
	fmt.Fprintf(stdout, "ok: %d objects valid: %s\n", len(all), strings.Join(names, ", "))
	secrets := referencedSecrets(all)
	keys := make([]string, 0, len(secrets))
	for name := range secrets {
		keys = append(keys, name)
	}
	sort.Strings(keys)
	for _, name := range keys {
		fmt.Fprintf(stdout, "secret to create: %s%s\n", name, secrets[name].String())
	}
	return 0
}
