//! The integration test suite: one binary, a module per feature. Each test builds a fixture
//! site in a temporary folder and asserts on what comes out (see tests/README.md).

mod awkward;
mod browse;
mod build;
mod changes;
mod cli;
mod corpus;
mod editors;
mod errors;
mod example;
mod faults;
mod find;
mod fixture;
mod formats;
mod hostile;
mod lints;
mod market;
mod matrix;
mod safety;
mod schema;
mod search;
mod serve;
mod synth;
