// Package sharedtest finds the material kept beside the repository in
// ../shared (the corpus of real infrastructure code, the corpus generator)
// for tests that need it.
//
// The directory is found relative to the repository (the nearest directory
// at or above the working directory that holds go.mod), never by a path of
// one machine. When it is absent the test is skipped, so that a fresh clone
// still passes; when the environment variable CI is set (.ci/run sets it)
// the test fails instead, so that a CI run cannot pass without it.
package sharedtest
