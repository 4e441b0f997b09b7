//! Mutations on clients, contacts, products and contracts. Each is one transaction.
use crate::domain::inputs::*;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::scalars::{Date, Money};
use crate::graphql::types::{Client, Contact, Contract, Product};
use crate::services::{catalog, clients, contracts};
use async_graphql::{Context, InputObject, Object, Result, ID};

#[derive(Default)]
pub struct ClientMutations;

/// A new client.
#[derive(InputObject)]
pub struct CreateClientInput {
    /// Public id (`^[A-Za-z0-9_-]{1,100}$`); generated as `cs_<unix seconds>_<slug>` when absent.
    id: Option<String>,
    /// Account name (1–200 characters, one line).
    name: String,
    /// Legal name (1–200 characters, one line; default: the name).
    company_name: Option<String>,
    /// Industry (1–200 characters, one line).
    industry: String,
    /// Plan tier.
    tier: Tier,
    /// Lifecycle stage.
    #[graphql(default_with = "LifecycleStage::Onboarding")]
    lifecycle_stage: LifecycleStage,
    /// Status.
    #[graphql(default_with = "ClientStatus::Active")]
    status: ClientStatus,
    /// Owner CSM (1–200 characters, one line).
    csm_owner: Option<String>,
    /// First day as a customer.
    customer_since: Date,
    /// Acquisition cost (CAC), ≥ 0.
    acquisition_cost: Option<Money>,
}

/// Changes to a client; absent fields stay.
#[derive(InputObject)]
pub struct UpdateClientInput {
    /// Account name (1–200 characters, one line).
    name: Option<String>,
    /// Legal name (1–200 characters, one line).
    company_name: Option<String>,
    /// Industry (1–200 characters, one line).
    industry: Option<String>,
    /// Plan tier.
    tier: Option<Tier>,
    /// Lifecycle stage.
    lifecycle_stage: Option<LifecycleStage>,
    /// Status.
    status: Option<ClientStatus>,
    /// Owner CSM (1–200 characters, one line).
    csm_owner: Option<String>,
    /// Acquisition cost, ≥ 0.
    acquisition_cost: Option<Money>,
}

/// A new contact.
#[derive(InputObject)]
pub struct AddContactInput {
    /// Client id.
    client_id: ID,
    /// Full name (1–200 characters, one line).
    name: String,
    /// Email address (at most 254 characters).
    email: String,
    /// Role.
    role: ContactRole,
    /// Make this the primary contact (the previous primary is demoted).
    #[graphql(default = false)]
    is_primary: bool,
}

/// A new catalog product.
#[derive(InputObject)]
pub struct CreateProductInput {
    /// Product code (`^[A-Za-z0-9_-]{1,100}$`).
    id: String,
    /// Display name (1–200 characters, one line).
    name: String,
    /// Family: 1–50 of a–z and `_` (`analytics`, `integrations`, …), not `all`.
    family: String,
    /// Tier, add-on or service.
    kind: ProductKind,
    /// Rung on the tier ladder, 1–100; required for tiers, absent otherwise.
    tier_rank: Option<i32>,
    /// Per seat or flat.
    pricing: Pricing,
    /// Annual list price, ≥ 0.
    annual_price: Money,
}

/// One product line of a new contract.
#[derive(InputObject)]
pub struct ContractItemInput {
    /// Product code.
    product_id: ID,
    /// Seats or units, ≥ 0.
    quantity: i32,
    /// ARR of the line, ≥ 0.
    arr: Money,
}

/// A new contract. Creating the first one writes the client's `NEW` ledger event.
#[derive(InputObject)]
pub struct CreateContractInput {
    /// Client id.
    client_id: ID,
    /// Term type.
    contract_type: ContractType,
    /// First day.
    start_date: Date,
    /// Last day (after startDate).
    end_date: Date,
    /// Renewal date (default endDate).
    renewal_date: Option<Date>,
    /// Renews unless cancelled.
    #[graphql(default = false)]
    auto_renew: bool,
    /// Notice to cancel, 0–365 days.
    #[graphql(default = 30)]
    notice_period_days: i32,
    /// Payment standing.
    #[graphql(default_with = "PaymentStatus::Current")]
    payment_status: PaymentStatus,
    /// Licensed seats, ≥ 0.
    seats: i32,
    /// Discount off list, 0–1.
    #[graphql(default = 0.0)]
    discount: f64,
    /// Product lines (1–100); the contract's ARR is their sum.
    items: Vec<ContractItemInput>,
}

#[Object]
impl ClientMutations {
    /// Creates a client.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn create_client(&self, ctx: &Context<'_>, input: CreateClientInput) -> Result<Client> {
        let input = ClientForCreate {
            id: input.id,
            name: input.name,
            company_name: input.company_name,
            industry: input.industry,
            tier: input.tier.into(),
            lifecycle_stage: input.lifecycle_stage.into(),
            status: input.status.into(),
            csm_owner: input.csm_owner,
            customer_since: input.customer_since.0,
            acquisition_cost: input.acquisition_cost.map(|m| m.0),
        };
        Ok(Client(clients::create(ctx.db(), ctx.request(), input).await?))
    }

    /// Changes a client if `expectedVersion` is its current version; else `CONFLICT`.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Client id.")] id: ID,
        #[graphql(desc = "The version you read.")] expected_version: i32,
        input: UpdateClientInput,
    ) -> Result<Client> {
        let input = ClientForUpdate {
            expected_version,
            name: input.name,
            company_name: input.company_name,
            industry: input.industry,
            tier: input.tier.map(Into::into),
            lifecycle_stage: input.lifecycle_stage.map(Into::into),
            status: input.status.map(Into::into),
            csm_owner: input.csm_owner,
            acquisition_cost: input.acquisition_cost.map(|m| m.0),
        };
        Ok(Client(clients::update(ctx.db(), ctx.request(), &id, input).await?))
    }

    /// Adds a contact to a client.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn add_contact(&self, ctx: &Context<'_>, input: AddContactInput) -> Result<Contact> {
        let input = ContactForCreate {
            client_id: input.client_id.0,
            name: input.name,
            email: input.email,
            role: input.role.into(),
            is_primary: input.is_primary,
        };
        Ok(Contact(clients::add_contact(ctx.db(), ctx.request(), input).await?))
    }

    /// Adds a product to the catalog.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn create_product(&self, ctx: &Context<'_>, input: CreateProductInput) -> Result<Product> {
        let input = ProductForCreate {
            id: input.id,
            name: input.name,
            family: input.family,
            kind: input.kind.into(),
            tier_rank: input.tier_rank,
            pricing: input.pricing.into(),
            annual_price: input.annual_price.0,
        };
        Ok(Product(catalog::create_product(ctx.db(), ctx.request(), input).await?))
    }

    /// Creates a client's active contract with its items and open renewal, and the ledger event
    /// that brings the client's ARR to the contract's.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn create_contract(&self, ctx: &Context<'_>, input: CreateContractInput) -> Result<Contract> {
        let input = ContractForCreate {
            client_id: input.client_id.0,
            contract_type: input.contract_type.into(),
            start_date: input.start_date.0,
            end_date: input.end_date.0,
            renewal_date: input.renewal_date.map(|d| d.0),
            auto_renew: input.auto_renew,
            notice_period_days: input.notice_period_days,
            payment_status: input.payment_status.into(),
            seats: input.seats,
            discount: input.discount,
            items: input
                .items
                .into_iter()
                .map(|i| ContractItemForCreate {
                    product_id: i.product_id.0,
                    quantity: i.quantity,
                    arr: i.arr.0,
                })
                .collect(),
        };
        Ok(Contract(contracts::create(ctx.db(), ctx.request(), input).await?))
    }
}
