// consulgen runs one simulated Consul cluster scenario on loopback and leaves
// the node directories (data dir, config, log) under <out>/<scenario>/, plus
// <out>/<scenario>.README describing provenance and checked facts.
//
// Usage: consulgen -out DIR -scenario NAME [-bundle FILE.tar.gz]
//
//	consulgen -out DIR -inspect NAME [-verify FILE.tar.gz]
//	    re-check an existing run (or unpack a bundle into DIR first)
//	consulgen -hosts NAME   print the /etc/hosts the scenario's lookups need
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"time"
)

var scenarios = map[string]func(*Scenario) error{
	"consul-parallel-restart":       runParallelRestart,
	"consul-stale-peers":            runStalePeers,
	"consul-dual-bootstrap":         runDualBootstrap,
	"consul-expect-mismatch":        runExpectMismatch,
	"consul-slow-leader":            runSlowLeader,
	"consul-healthy":                runHealthy,
	"consul-reaped-server":          runReapedServer,
	"consul-reaped-leader-legacy":   runReapedLeaderLegacy,
	"consul-rolling-restart":        runRollingRestart,
	"consul-rolling-restart-legacy": runRollingRestartLegacy,
	"consul-hostnames":              runHostnames,
	"consul-two-dead":               runTwoDead,
	"consul-two-dead-legacy":        runTwoDeadLegacy,
	"consul-parallel-restart-five":  runParallelRestartFive,
	"consul-stale-peers-modern":     runStalePeersModern,
	"consul-dual-bootstrap-legacy":  runDualBootstrapLegacy,
	"consul-expect-mismatch-legacy": runExpectMismatchLegacy,
	"consul-slow-leader-bosh":       runSlowLeaderBosh,
}

func main() {
	out := flag.String("out", "", "staging directory")
	name := flag.String("scenario", "", "scenario to run")
	inspectOnly := flag.String("inspect", "", "only inspect an existing run of this scenario")
	bundle := flag.String("bundle", "", "after the run, pack the support bundle into this file")
	verify := flag.String("verify", "", "with -inspect: unpack this bundle into -out first")
	hosts := flag.String("hosts", "", "print the hosts file of this scenario and exit")
	flag.Parse()
	time.Local = time.UTC
	rand.Seed(time.Now().UnixNano())
	if *hosts != "" {
		e, ok := hostEntries[*hosts]
		if !ok {
			os.Exit(1) // the scenario needs no hosts file
		}
		fmt.Print(hostsFile(e))
		return
	}
	if *out == "" || (*name == "" && *inspectOnly == "") {
		flag.Usage()
		os.Exit(2)
	}
	if *inspectOnly != "" {
		if *verify != "" {
			if err := unpackBundle(*verify, *out, *inspectOnly); err != nil {
				fmt.Fprintln(os.Stderr, "verify:", err)
				os.Exit(1)
			}
		}
		res, err := inspectScenario(*out, *inspectOnly, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inspect:", err)
			os.Exit(1)
		}
		fmt.Print(res.report())
		if len(res.failures) > 0 {
			os.Exit(3)
		}
		if *bundle != "" && *verify == "" {
			// repack an existing staging tree
			root := filepath.Join(*out, *inspectOnly)
			if err := packBundle(root, *inspectOnly, *bundle, time.Now().UTC().Truncate(time.Second)); err != nil {
				fmt.Fprintln(os.Stderr, "pack:", err)
				os.Exit(1)
			}
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
	if *bundle != "" {
		if err := packBundle(sc.Root, sc.Name, *bundle, sc.CapturedAt.Truncate(time.Second)); err != nil {
			fmt.Fprintln(os.Stderr, "pack:", err)
			os.Exit(1)
		}
	}
}
