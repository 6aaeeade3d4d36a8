//! The unified customer: one model for every vendor that stores customers
//! (department customer service; BokaMera later). Names are the contract of
//! `shared/spec/unified-api.md`; each member says which vendor member it
//! holds. Every member is a [`Field`] so absent and null survive a round trip.

use serde::{Deserialize, Serialize};

use super::{Field, Guid, Num, TextId, Timestamp, Vehicle};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Customer id (department path `customerID` and `customerUuid`, typed
    /// string; BokaMera path `Id`, a GUID: checked before sending there).
    /// On `PUT /v1/customers/{id}` it is the path's.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<TextId>,
    /// The caller's own key (department `customerKey`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_key: Field<String>,
    /// Department `firstName`, BokaMera `Firstname`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    /// Department `lastName`, BokaMera `Lastname`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    /// Company name (department `company`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company: Field<String>,
    /// Department `isBusiness`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_business: Field<bool>,
    /// Department `emails[]`; BokaMera `Email` is the preferred (else first).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub emails: Field<Vec<Email>>,
    /// Department `phoneNumbers[]`; BokaMera `Phone` is the preferred (else
    /// first).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub phones: Field<Vec<Phone>>,
    /// Department `addresses[]`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub addresses: Field<Vec<Address>>,
    /// BokaMera `InvoiceAddress`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub invoice_address: Field<InvoiceAddress>,
    /// Department `preferredLocale`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preferred_locale: Field<String>,
    /// Department `preferredCommunication`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preferred_communication: Field<String>,
    /// Department `bestTimeToContact {startTime, endTime}`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub best_time_to_contact: Field<TimeWindow>,
    /// BokaMera `SubscribedToNewsletter`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub subscribed_to_newsletter: Field<bool>,
    /// BokaMera `CustomFields` (`AddCustomField {Id, Value}`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_fields: Field<Vec<CustomField>>,
    /// BokaMera `AccessKeys` (`AddUserAccessKey`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_keys: Field<Vec<AccessKey>>,
    /// The customer's vehicles (department top-level `vehicles[]`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicles: Field<Vec<Vehicle>>,
    // BokaMera-only members (`UpdateCustomer` request, `CustomerQueryResponse`
    // answer) that no shared name above holds. Shared members BokaMera also
    // fills: `id` (path and response `Id`), `firstName` (`Firstname`),
    // `lastName` (`Lastname`), `emails` (`Email`), `phones` (`Phone`),
    // `invoiceAddress`, `subscribedToNewsletter`, `customFields` (request
    // `CustomFields`), `accessKeys`. The read-only ones (answered, never
    // written) are reported as not stored when sent back.
    /// Access keys to remove (request `AccessKeysToDelete`,
    /// `DeleteUserAccessKey {Id}`); write only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_keys_to_delete: Field<Vec<AccessKeyRef>>,
    /// Response `ImageUrl`; read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_url: Field<String>,
    /// Response `CustomFields`: the company's custom field definitions
    /// (`CustomFieldConfigData`), unlike the request's `CustomFields`
    /// values, which are `customFields`; read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_field_definitions: Field<Vec<CustomFieldDefinition>>,
    /// Response `CustomFieldValues` (`CustomFieldDataResponse`); read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub custom_field_values: Field<Vec<CustomFieldValue>>,
    /// Response `Comments` (`CustomerCommentsResponse`); read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<Vec<CustomerComment>>,
    /// Response `Created`, the vendor's text; read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created_at: Field<Timestamp>,
    /// Response `Updated`, the vendor's text; read only.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated_at: Field<Timestamp>,
    // End of the BokaMera block.
}

/// An e-mail address (department `emails[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Email {
    /// Department `emailAddress`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub address: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ok_to_email: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_preferred: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub comments: Field<String>,
}

/// A phone number (department `phoneNumbers[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phone {
    /// Department `phoneNumber`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub number: Field<String>,
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

/// A postal address (department `addresses[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Department `uuid` (typed string at the vendor).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<TextId>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line1: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line2: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub city: Field<String>,
    /// Department `zip`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub postal_code: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub state: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub country: Field<String>,
    /// Department `addressType` (free text).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub address_type: Field<String>,
    /// Department `type`, an enum such as `COMMON` (passed through as text).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub r#type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_preferred: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_valid: Field<bool>,
    /// Department `updateTS`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated_at: Field<Timestamp>,
}

/// An invoice address (BokaMera `InvoiceAddress`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceAddress {
    /// `CorporateIdentityNumber`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub corporate_identity_number: Field<String>,
    /// `InvoiceAddress1`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line1: Field<String>,
    /// `InvoiceAddress2`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub line2: Field<String>,
    /// `InvoiceCity`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub city: Field<String>,
    /// `InvoicePostalCode`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub postal_code: Field<String>,
    /// `InvoiceCountryCode`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub country_code: Field<String>,
}

/// When to contact (department `bestTimeToContact {startTime, endTime}`);
/// free text at the vendor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeWindow {
    /// `startTime`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub start: Field<String>,
    /// `endTime`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub end: Field<String>,
}

/// A custom field value (BokaMera `AddCustomField {Id, Value}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomField {
    /// `Id` (an integer).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    /// `Value`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
}

/// An access key (BokaMera `AddUserAccessKey`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessKey {
    /// `Id`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Guid>,
    /// `CompanyId`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub company_id: Field<Guid>,
    /// `AccessKeyTypeId` (an integer).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub access_key_type_id: Field<Num>,
    /// `Value`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
    /// `CustomerId`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<Guid>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
}

/// An access key named by id (BokaMera `DeleteUserAccessKey {Id}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyRef {
    /// `Id`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Guid>,
}

/// A custom field definition (BokaMera `CustomFieldConfigData`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldDefinition {
    /// `Id` (an integer): the `id` of `customFields[]`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    /// `Name`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// `Width` (pixels).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub width: Field<Num>,
    /// `DataType` (`TextBox`, `DropDown`, ...).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub data_type: Field<String>,
    /// `DefaultValue`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub default_value: Field<String>,
    /// `IsMandatory`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_mandatory: Field<bool>,
    /// `MandatoryErrorMessage`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mandatory_error_message: Field<String>,
    /// `MaxLength`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub max_length: Field<Num>,
    /// `MultipleLineText`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub multiple_line_text: Field<bool>,
    /// `RegEx`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reg_ex: Field<String>,
    /// `RegExErrorMessage`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reg_ex_error_message: Field<String>,
    /// `Values` (`CustomFieldValueResponse {Value}`): the choices of a
    /// `DropDown`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub values: Field<Vec<CustomFieldChoice>>,
}

/// One choice of a drop-down custom field (BokaMera
/// `CustomFieldValueResponse {Value}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldChoice {
    /// `Value`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
}

/// A custom field's value as BokaMera answers it (`CustomFieldDataResponse`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldValue {
    /// `Id` (an integer).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    /// `Column`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub column: Field<String>,
    /// `Name`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// `Value`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub value: Field<String>,
    /// `DataType`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub data_type: Field<String>,
}

/// A comment on a customer (BokaMera `CustomerCommentsResponse`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerComment {
    /// `Id` (an integer).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    /// `CustomerId`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<Guid>,
    /// `Comments`: the comment's text.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub text: Field<String>,
    /// `Updated`, the vendor's text.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated_at: Field<Timestamp>,
    /// `Created`, the vendor's text.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created_at: Field<Timestamp>,
    /// `ImageUrl`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_url: Field<String>,
}
