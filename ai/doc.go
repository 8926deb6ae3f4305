// Package ai will hold the Extractor and Responder contracts with an
// OpenAI-compatible and a heuristic (no network) implementation. Nothing is
// implemented here yet; see ../shared/design/ARCHITECTURE.md for its place in
// the message flow.
package ai
