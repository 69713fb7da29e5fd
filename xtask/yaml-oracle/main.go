// The YAML oracle: decodes each file the way the collector's confmap does
// (yaml.Unmarshal into an interface{}) and prints one JSON line per file,
// {"case": name, "error": text or null}. Built by `cargo xtask` against
// Debian's golang-gopkg-yaml.v3-dev, whose scanner, parser and decoder
// errors match go.yaml.in/yaml/v3 v3.0.4 that collector v0.142 uses.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

type result struct {
	Case  string  `json:"case"`
	Error *string `json:"error"`
}

func main() {
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		var raw interface{}
		r := result{Case: filepath.Base(path)}
		if err := yaml.Unmarshal(data, &raw); err != nil {
			text := err.Error()
			r.Error = &text
		}
		if err := out.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
