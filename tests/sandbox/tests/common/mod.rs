//! What the sandbox's HTTP tests share: the spec's required fields of a schema.

/// The `required` list of a Braintrust schema in the contract the sandbox is held to.
pub fn spec_required(schema: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/braintrust/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("the contracts are in the repository (tests/contracts)");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    spec["components"]["schemas"][schema]["required"].as_sequence().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}
