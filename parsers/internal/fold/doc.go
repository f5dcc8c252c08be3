// Package fold matches names as ARM matches property names:
// case-insensitively (strings.EqualFold), an exact match first. The
// parsers look members up by name millions of times per scan, most of
// them against members whose names differ from the wanted one from the
// first byte; [MayEqual] tells those apart inline, before the call.
package fold
