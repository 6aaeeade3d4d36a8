//! The department customer service's wire model: the `updateCustomer`
//! request body and the `{errors[], warnings[]}` envelope every answer
//! carries, member names exactly as the vendor's sample writes them.
//!
//! Every member is a [`Field`] so what the caller left out stays out and an
//! explicit `null` stays `null`. Member order follows the sample.

use serde::{Deserialize, Serialize};

use crate::unified::Field;

/// `POST /customer/v2/department/{token}/customer/{customerID}` body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateCustomerRequest {
    #[serde(
        rename = "requesterUserUUID",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub requester_user_uuid: Field<String>,
    #[serde(
        rename = "dealerUUIDList",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub dealer_uuid_list: Field<Vec<String>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer: Field<CustomerDto>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicles: Field<Vec<VehicleDto>>,
    #[serde(
        rename = "validateVin",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub validate_vin: Field<bool>,
    #[serde(
        rename = "searchForDuplicate",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub search_for_duplicate: Field<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_key: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_business: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub best_time_to_contact: Field<TimeWindowDto>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preferred_communication: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub addresses: Field<Vec<AddressDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preferred_locale: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_uuid: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub emails: Field<Vec<EmailDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub phone_numbers: Field<Vec<PhoneDto>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeWindowDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub start_time: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub end_time: Field<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line1: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line2: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub city: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub zip: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub address_type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub r#type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub country: Field<String>,
    #[serde(rename = "updateTS", default, skip_serializing_if = "Field::is_absent")]
    pub update_ts: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uuid: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_valid: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_preferred: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub state: Field<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub email_address: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ok_to_email: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_preferred: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub phone_number: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ok_to_call: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ok_to_text: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_preferred: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vin: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_year: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_make: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_model: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub estimated_mileage: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_key: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_trim: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub license_plate: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub color: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_uuid: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_engine: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_matching: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_valid: Field<bool>,
}

/// `{errors[], warnings[]}`: the body of every documented answer (200, 400,
/// 401, 500; 204 has none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseEnvelope {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub errors: Field<Vec<VendorError>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub warnings: Field<Vec<VendorWarning>>,
}

/// `{errorCode, errorTitle, errorMessage}`; the code is an integer in the
/// docs, read as any scalar.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorError {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_code: Field<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_title: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_message: Field<String>,
}

/// `{warningCode, warningTitle, warningMessage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorWarning {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub warning_code: Field<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub warning_title: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub warning_message: Field<String>,
}

/// A vendor code as unified text: `0` -> `"0"`, `"E1"` -> `"E1"`.
pub fn code_text(code: &Field<serde_json::Value>) -> String {
    match code {
        Field::Value(serde_json::Value::String(s)) => s.clone(),
        Field::Value(v) if !v.is_null() => v.to_string(),
        _ => String::new(),
    }
}
