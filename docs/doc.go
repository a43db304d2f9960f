// Package docs is kinglet's guide, one Markdown page per topic (start at
// README.md). It holds no code: its tests type-check every ```go block of
// every page against the module as it is, so that the guide cannot drift
// from the API, and check that every exported identifier of the module's
// packages has a doc comment.
package docs
