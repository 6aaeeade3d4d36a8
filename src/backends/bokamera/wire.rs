//! BokaMera's wire model for `PUT /customers/{Id}`: the `UpdateCustomer`
//! request, the `CustomerQueryResponse` answer and ServiceStack's
//! `ResponseStatus`, member names exactly as the vendor's page writes them.
//!
//! Every member is a [`Field`] so what was left out stays out and an
//! explicit null stays null (JSV has no null: [`crate::jsv`] leaves a null
//! member out, so it reads back absent). Member order follows the vendor's
//! sample (request) and table (response). The same types serve JSON
//! (`serde_json`) and JSV (`crate::jsv`); integers are `i64`, Guids and
//! DateTimes the vendor's text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::codec::{starts_lower_case, MapKeys};
use crate::unified::Field;

/// `PUT /customers/{Id}` body (the `Id` is the path's).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateCustomer {
    /// Also sent as `?CompanyId=` (the page lists it as a query parameter;
    /// its sample sends it in the body too).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub firstname: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lastname: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub phone: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub email: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_fields: Field<Vec<AddCustomField>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_keys: Field<Vec<AddUserAccessKey>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_keys_to_delete: Field<Vec<DeleteUserAccessKey>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub subscribed_to_newsletter: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_address: Field<InvoiceAddress>,
}

/// `AddCustomField {Id, Value}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomField {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
}

/// `AddUserAccessKey`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserAccessKey {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_key_type_id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
}

/// `DeleteUserAccessKey {Id}` (the page's sample sends `{}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAccessKey {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
}

/// `InvoiceAddress`, in the request and the answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvoiceAddress {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub corporate_identity_number: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_address1: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_address2: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_city: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_postal_code: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_country_code: Field<String>,
}

/// The answer to `PUT /customers/{Id}`; an error answer carries only
/// `ResponseStatus`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerQueryResponse {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub firstname: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lastname: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub email: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub phone: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_url: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_fields: Field<Vec<CustomFieldConfigData>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_field_values: Field<Vec<CustomFieldDataResponse>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<Vec<CustomerCommentsResponse>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_keys: Field<Vec<UserAccessKeys>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub response_status: Field<ResponseStatus>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub subscribed_to_newsletter: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_address: Field<InvoiceAddress>,
}

/// `CustomFieldConfigData`: a custom field's definition.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomFieldConfigData {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub width: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub data_type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub default_value: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_mandatory: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mandatory_error_message: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub max_length: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub multiple_line_text: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reg_ex: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reg_ex_error_message: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub values: Field<Vec<CustomFieldValueResponse>>,
}

/// `CustomFieldValueResponse {Value}`: a drop-down choice.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomFieldValueResponse {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
}

/// `CustomFieldDataResponse`: a custom field's value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomFieldDataResponse {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub column: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub data_type: Field<String>,
}

/// `CustomerCommentsResponse`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerCommentsResponse {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_url: Field<String>,
}

/// `UserAccessKeys`, as answered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAccessKeys {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_key_type_id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
}

/// ServiceStack's `ResponseStatus`: empty (`{}`) or absent on success.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseStatus {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_code: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub message: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub stack_trace: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub errors: Field<Vec<ResponseError>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub meta: Field<BTreeMap<String, String>>,
}

impl ResponseStatus {
    /// Whether it reports an error (an error code, or any entry in
    /// `Errors`); a bare `Message` on success is not one.
    pub fn is_error(&self) -> bool {
        self.error_code.value().is_some_and(|c| !c.is_empty())
            || self.errors.value().is_some_and(|e| !e.is_empty())
    }
}

/// One entry of `ResponseStatus.Errors` (a validation failure).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseError {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_code: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub field_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub message: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub meta: Field<BTreeMap<String, String>>,
}

// The map-typed members, for the JSON fast path (`codec::decode`): a
// member added here with a map type must be looked into below.

/// Whether a key of `meta` starts with a lower-case letter.
fn meta_lower_case(meta: &Field<BTreeMap<String, String>>) -> bool {
    meta.value()
        .is_some_and(|m| m.keys().any(|k| starts_lower_case(k)))
}

impl MapKeys for UpdateCustomer {
    /// No member of the request or its parts is a map.
    fn lower_case_map_key(&self) -> bool {
        false
    }
}

impl MapKeys for CustomerQueryResponse {
    /// Only `ResponseStatus` holds maps.
    fn lower_case_map_key(&self) -> bool {
        self.response_status
            .value()
            .is_some_and(ResponseStatus::lower_case_map_key)
    }
}

impl MapKeys for ResponseStatus {
    fn lower_case_map_key(&self) -> bool {
        meta_lower_case(&self.meta)
            || self
                .errors
                .value()
                .is_some_and(|e| e.iter().any(|e| meta_lower_case(&e.meta)))
    }
}
