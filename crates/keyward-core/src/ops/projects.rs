//! The Braintrust projects an account's token can see: what an env var is scoped to, picked by
//! name in the create form and `keyward create braintrust-env-var --project`.

use crate::error::{Error, Result};
use crate::model::env_var::Project;
use crate::model::Service;
use crate::Keyward;

impl Keyward {
    /// Every project of a Braintrust account, newest first, asked of the service (not cached:
    /// a project made a minute ago in Braintrust's console is offered at once).
    pub async fn list_projects(&self, account_id: &str) -> Result<Vec<Project>> {
        let account = self.get_account(account_id)?;
        if account.service != Service::Braintrust {
            return Err(Error::invalid("account_id", format!("{} has no projects: only a Braintrust account does.", account.label)));
        }
        self.provider_for(&account)?.list_projects().await
    }

    /// The project of that name, exactly, or an error naming the closest one.
    pub async fn find_project(&self, account_id: &str, name: &str) -> Result<Project> {
        let projects = self.list_projects(account_id).await?;
        let wanted = name.trim();
        if let Some(p) = projects.iter().find(|p| p.name == wanted) {
            return Ok(p.clone());
        }
        let closest =
            projects.iter().map(|p| (strsim::jaro_winkler(&p.name.to_lowercase(), &wanted.to_lowercase()), p)).max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match closest {
            Some((score, p)) if score > 0.8 => format!(" Did you mean “{}”?", p.name),
            _ if projects.is_empty() => " The token sees no projects.".to_string(),
            _ => format!(" Its projects: {}.", projects.iter().take(10).map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")),
        };
        Err(Error::invalid("project", format!("No project named “{}”.{hint}", crate::model::rules::clip(wanted))))
    }
}
