package armsite

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// role is what a document contributes to a site.
type role uint8

const (
	roleIgnore      role = iota
	roleSite             // the site itself, or a patch of it (same type)
	roleWeb              // config "web": the site configuration
	roleAppSettings      // config "appsettings": replaces the app settings
	roleConnStrings      // config "connectionstrings": replaces the connection strings
	roleAuthV2           // config "authsettingsV2"
	roleAuthV1           // config "authsettings"
	roleBackup           // config "backup"
	roleFTP              // basicPublishingCredentialsPolicies "ftp"
	roleSCM              // basicPublishingCredentialsPolicies "scm"
	roleVNet             // networkConfig "virtualNetwork"
)

// label prefixes the paths of a role's values in notes.
func (r role) label() string {
	switch r {
	case roleWeb:
		return "config/web "
	case roleAppSettings:
		return "config/appsettings "
	case roleConnStrings:
		return "config/connectionstrings "
	case roleAuthV2:
		return "config/authsettingsV2 "
	case roleAuthV1:
		return "config/authsettings "
	case roleBackup:
		return "config/backup "
	case roleFTP:
		return "basicPublishingCredentialsPolicies/ftp "
	case roleSCM:
		return "basicPublishingCredentialsPolicies/scm "
	case roleVNet:
		return "networkConfig/virtualNetwork "
	}
	return ""
}

// roleOf classifies a document relative to a site of type siteType
// (Microsoft.Web/sites or Microsoft.Web/sites/slots). Children of other
// kinds (hostNameBindings, config "logs", "metadata", …) and children of a
// different parent type are ignored.
func roleOf(siteType string, d *Doc) role {
	ct := strings.ToLower(strings.TrimSpace(d.Type))
	st := strings.ToLower(strings.TrimSpace(siteType))
	if ct == st {
		return roleSite
	}
	if !strings.HasPrefix(ct, st+"/") {
		return roleIgnore
	}
	name := strings.ToLower(strings.TrimSpace(lastSegment(d.Name)))
	switch ct[len(st)+1:] {
	case "config":
		switch name {
		case "web":
			return roleWeb
		case "appsettings":
			return roleAppSettings
		case "connectionstrings":
			return roleConnStrings
		case "authsettingsv2":
			return roleAuthV2
		case "authsettings":
			return roleAuthV1
		case "backup":
			return roleBackup
		}
	case "basicpublishingcredentialspolicies":
		switch name {
		case "ftp":
			return roleFTP
		case "scm":
			return roleSCM
		}
	case "networkconfig":
		if name == "virtualnetwork" {
			return roleVNet
		}
	}
	return roleIgnore
}

// layer is one document in precedence order.
type layer struct {
	doc  *Doc
	role role
}

// src names where a value may be written: a path in documents of a role.
type src struct {
	role role
	path string
}

// layers holds a site's documents, lowest precedence first: the site,
// then its children and patches in the order the caller gave them.
type layers []layer

// find returns the value of highest precedence among srcs: later
// documents win, and within a document later srcs win. Nulls count as
// absent; an unknown node (or unknown ancestor) counts as written.
func (ls layers) find(srcs ...src) hit {
	// An absent value is computed in its document when the expression
	// written there gives null (known from the lookup already made) or
	// an object on its way is computed: only the latter needs another
	// walk, and only while neither is known.
	var absent hit
	for i := len(ls) - 1; i >= 0; i-- {
		l := ls[i]
		for j := len(srcs) - 1; j >= 0; j-- {
			s := srcs[j]
			if s.role != l.role {
				continue
			}
			n := lookup(l.doc.Body, s.path)
			if present(n) {
				return hit{n: n, doc: l.doc, path: s.role.label() + s.path}
			}
			absent.computedIn = absent.computedIn || computedNull(n)
		}
	}
	for _, l := range ls {
		for _, s := range srcs {
			if absent.computedIn {
				return absent
			}
			absent.computedIn = s.role == l.role && computedAncestor(l.doc.Body, s.path)
		}
	}
	return absent
}

// child returns the last document of a role (its body may be empty).
func (ls layers) child(r role) (*Doc, bool) {
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].role == r {
			return ls[i].doc, true
		}
	}
	return nil, false
}

// body returns the whole body of a child document as a hit (an empty
// object when the document has no body).
func body(d *Doc, r role) hit {
	n := d.Body
	if n == nil {
		n = &model.Node{Kind: model.KindObject, Meta: model.Meta{Range: d.at(), Origin: model.Explicit, Resource: d.Resource.Address}}
	}
	return hit{n: n, doc: d, path: strings.TrimSuffix(r.label(), " ")}
}

// at descends into the object a hit holds; absent members give an empty
// hit. Paths of child documents read "config/web properties.cors".
func (h hit) at(path string) hit {
	if h.n == nil {
		return hit{}
	}
	n := lookup(h.n, path)
	if !present(n) {
		return hit{}
	}
	p := path
	if h.path != "" {
		sep := "."
		if !strings.Contains(h.path, ".") && strings.Contains(h.path, "/") {
			sep = " "
		}
		p = h.path + sep + path
	}
	return hit{n: n, doc: h.doc, path: p}
}
