package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

func main() {
	c := iampolicy.DefaultCatalog()
	re := regexp.MustCompile(`^([a-zA-Z]+)[0-9v_]+$`)
	n := 0
	for _, a := range c.Expand("*") {
		if re.MatchString(a.Name) {
			s := re.ReplaceAllString(a.Name, "$1")
			_, ok := c.Lookup(a.Service + ":" + s)
			if n < 15 {
				fmt.Println("suffix:", a, "->", s, ok)
			}
			n++
		}
		if strings.HasSuffix(strings.ToLower(a.Name), "cors") {
			fmt.Println("cors:", a)
		}
	}
}
