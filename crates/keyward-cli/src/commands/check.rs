//! `keyward check-aws-role` and `check-vertex`: ask Barndoor whether a setup would work,
//! before a credential is saved with it.

use keyward_core::model::setup_check::{CheckOutcome, SetupCheck};
use keyward_core::{Error, Keyward, Result};

use crate::token_input;

pub async fn aws_role(core: &Keyward, account: &str, region: String, role_arn: String, external_id: String) -> Result<()> {
    let account = core.find_account(account)?;
    let check = SetupCheck::BarndoorAwsRole { region, iam_role_arn: role_arn, external_id };
    report(core.check_setup(&account.id, check).await?)
}

pub async fn vertex(
    core: &Keyward,
    account: &str,
    project_id: String,
    location: String,
    auth_type: Option<String>,
    credentials_json: bool,
) -> Result<()> {
    let account = core.find_account(account)?;
    let credentials = credentials_json.then(|| token_input::read_secret("Service-account key (JSON)", "credentials")).transpose()?;
    let check = SetupCheck::BarndoorGoogleVertex {
        project_id,
        location,
        auth_type,
        model_api_family: None,
        target_service_account: None,
        credentials,
        model: None,
    };
    report(core.check_setup(&account.id, check).await?)
}

/// A failed check is an answer, not an error of Keyward's: it is said, and the exit code is 1.
fn report(outcome: CheckOutcome) -> Result<()> {
    if outcome.ok {
        eprintln!("{}", outcome.message);
        Ok(())
    } else {
        Err(Error::new(keyward_core::ErrorCode::InvalidInput, outcome.message))
    }
}
