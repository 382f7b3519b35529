// consulgen runs one simulated Consul cluster scenario on loopback and leaves
// the node directories (data dir, config, log) under <out>/<scenario>/, plus
// <out>/<scenario>.README describing provenance and checked facts.
//
// Usage: consulgen -out DIR -scenario NAME
//
//	consulgen -out DIR -inspect NAME   (re-check an existing run)
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"time"
)

var scenarios = map[string]func(*Scenario) error{
	"consul-parallel-restart": runParallelRestart,
	"consul-stale-peers":      runStalePeers,
	"consul-dual-bootstrap":   runDualBootstrap,
	"consul-expect-mismatch":  runExpectMismatch,
	"consul-slow-leader":      runSlowLeader,
	"consul-healthy":          runHealthy,
}

func main() {
	out := flag.String("out", "", "staging directory")
	name := flag.String("scenario", "", "scenario to run")
	inspectOnly := flag.String("inspect", "", "only inspect an existing run of this scenario")
	flag.Parse()
	time.Local = time.UTC
	rand.Seed(time.Now().UnixNano())
	if *out == "" || (*name == "" && *inspectOnly == "") {
		flag.Usage()
		os.Exit(2)
	}
	if *inspectOnly != "" {
		res, err := inspectScenario(*out, *inspectOnly, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inspect:", err)
			os.Exit(1)
		}
		fmt.Print(res.report())
		if len(res.failures) > 0 {
			os.Exit(3)
		}
		return
	}
	run, ok := scenarios[*name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown scenario", *name)
		os.Exit(2)
	}
	sc, err := newScenario(*out, *name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := run(sc); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", *name, err)
		sc.Capture()
		os.Exit(1)
	}
	res, err := inspectScenario(*out, *name, sc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inspect:", err)
		os.Exit(1)
	}
	if err := writeReadme(*out, sc, res); err != nil {
		fmt.Fprintln(os.Stderr, "readme:", err)
		os.Exit(1)
	}
	fmt.Print(res.report())
	if len(res.failures) > 0 {
		os.Exit(3)
	}
}
