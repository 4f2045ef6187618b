// compose-reference prints a compose project's model as Docker Compose's `config` does (its
// dollar signs escaped, as that command escapes them), through
// compose-go (the library Docker Compose loads files with), so krunbox's `compose config` can be
// compared with it. Usage: compose-reference [-p NAME] [--profile P]... FILE...
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	var files, profiles []string
	name := ""
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-p":
			i++
			name = args[i]
		case "--profile":
			i++
			profiles = append(profiles, args[i])
		default:
			files = append(files, args[i])
		}
	}
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory("."), cli.WithOsEnv, cli.WithEnvFiles(), cli.WithDotEnv,
		cli.WithNormalization(true), cli.WithResolvedPaths(true), cli.WithProfiles(profiles)}
	if name != "" {
		opts = append(opts, cli.WithName(name))
	}
	po, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		fail(err)
	}
	project, err := po.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	// env_file values folded into environment and the files dropped, as `docker compose config` does
	project, err = project.WithServicesEnvironmentResolved(true)
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fail(err)
	}
	// as `docker compose config` does, so that what it prints reads back as the same model
	os.Stdout.Write(bytes.ReplaceAll(out, []byte("$"), []byte("$$")))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
