//! Golden tests: the JSV samples of BokaMera's `PUT /customers/{Id}` page,
//! read into structs that mirror the documented DTOs, and the request
//! written back in compact form.

use crossdock::jsv;
use serde::{Deserialize, Serialize};

const REQUEST: &str = include_str!("../fixtures/bokamera/put-request.jsv");
const RESPONSE: &str = include_str!("../fixtures/bokamera/put-response.jsv");
const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateCustomer {
    company_id: Option<String>,
    firstname: Option<String>,
    lastname: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    custom_fields: Option<Vec<AddCustomField>>,
    access_keys: Option<Vec<AddUserAccessKey>>,
    access_keys_to_delete: Option<Vec<DeleteUserAccessKey>>,
    subscribed_to_newsletter: Option<bool>,
    invoice_address: Option<InvoiceAddress>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddCustomField {
    id: i32,
    value: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddUserAccessKey {
    id: Option<String>,
    company_id: Option<String>,
    access_key_type_id: i32,
    value: Option<String>,
    customer_id: Option<String>,
    description: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteUserAccessKey {
    // A Guid on the vendor's side; the sample sends an empty object.
    id: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceAddress {
    corporate_identity_number: Option<String>,
    invoice_address1: Option<String>,
    invoice_address2: Option<String>,
    invoice_city: Option<String>,
    invoice_postal_code: Option<String>,
    invoice_country_code: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerQueryResponse {
    id: Option<String>,
    firstname: Option<String>,
    lastname: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    image_url: Option<String>,
    #[serde(default)]
    custom_fields: Vec<CustomFieldConfigData>,
    #[serde(default)]
    custom_field_values: Vec<CustomFieldDataResponse>,
    #[serde(default)]
    comments: Vec<CustomerCommentsResponse>,
    #[serde(default)]
    access_keys: Vec<UserAccessKeys>,
    updated: Option<String>,
    created: Option<String>,
    response_status: Option<serde_json::Value>,
    subscribed_to_newsletter: bool,
    invoice_address: Option<InvoiceAddress>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomFieldConfigData {
    id: i32,
    name: Option<String>,
    description: Option<String>,
    width: Option<i32>,
    data_type: Option<String>,
    default_value: Option<String>,
    is_mandatory: bool,
    mandatory_error_message: Option<String>,
    max_length: i32,
    multiple_line_text: bool,
    reg_ex: Option<String>,
    reg_ex_error_message: Option<String>,
    #[serde(default)]
    values: Vec<CustomFieldValueResponse>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomFieldValueResponse {
    value: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomFieldDataResponse {
    id: i32,
    column: Option<String>,
    name: Option<String>,
    description: Option<String>,
    value: Option<String>,
    data_type: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerCommentsResponse {
    id: i32,
    customer_id: Option<String>,
    comments: Option<String>,
    updated: Option<String>,
    created: Option<String>,
    image_url: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserAccessKeys {
    company_id: Option<String>,
    access_key_type_id: i32,
    value: Option<String>,
    customer_id: Option<String>,
    description: Option<String>,
    id: Option<String>,
}

fn s() -> Option<String> {
    Some("String".to_string())
}

fn zero() -> Option<String> {
    Some(ZERO_GUID.to_string())
}

fn invoice_address() -> InvoiceAddress {
    InvoiceAddress {
        corporate_identity_number: s(),
        invoice_address1: s(),
        invoice_address2: s(),
        invoice_city: s(),
        invoice_postal_code: s(),
        invoice_country_code: s(),
    }
}

fn request() -> UpdateCustomer {
    UpdateCustomer {
        company_id: zero(),
        firstname: s(),
        lastname: s(),
        phone: s(),
        email: s(),
        custom_fields: Some(vec![AddCustomField { id: 0, value: s() }]),
        access_keys: Some(vec![AddUserAccessKey {
            id: zero(),
            company_id: zero(),
            access_key_type_id: 0,
            value: s(),
            customer_id: zero(),
            description: s(),
        }]),
        access_keys_to_delete: Some(vec![DeleteUserAccessKey { id: None }]),
        subscribed_to_newsletter: Some(false),
        invoice_address: Some(invoice_address()),
    }
}

const COMPACT_REQUEST: &str = "{CompanyId:00000000-0000-0000-0000-000000000000,\
Firstname:String,Lastname:String,Phone:String,Email:String,\
CustomFields:[{Id:0,Value:String}],\
AccessKeys:[{Id:00000000-0000-0000-0000-000000000000,\
CompanyId:00000000-0000-0000-0000-000000000000,AccessKeyTypeId:0,Value:String,\
CustomerId:00000000-0000-0000-0000-000000000000,Description:String}],\
AccessKeysToDelete:[{}],SubscribedToNewsletter:False,\
InvoiceAddress:{CorporateIdentityNumber:String,InvoiceAddress1:String,\
InvoiceAddress2:String,InvoiceCity:String,InvoicePostalCode:String,\
InvoiceCountryCode:String}}";

#[test]
fn request_sample_reads() {
    let got: UpdateCustomer = jsv::from_str(REQUEST).unwrap();
    assert_eq!(got, request());
}

#[test]
fn request_writes_compact() {
    let text = jsv::to_string(&request()).unwrap();
    assert_eq!(text, COMPACT_REQUEST);
    // The compact form is the sample without its white space (no value in it
    // holds any).
    let stripped: String = REQUEST.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(text, stripped);
    assert_eq!(jsv::from_str::<UpdateCustomer>(&text).unwrap(), request());
}

#[test]
fn response_sample_reads() {
    let got: CustomerQueryResponse = jsv::from_slice(RESPONSE.as_bytes()).unwrap();
    assert_eq!(got.id, None);
    assert_eq!(got.firstname, s());
    assert_eq!(got.image_url, s());
    assert_eq!(
        got.custom_fields,
        vec![CustomFieldConfigData {
            id: 0,
            name: s(),
            description: s(),
            width: Some(0),
            data_type: s(),
            default_value: s(),
            is_mandatory: false,
            mandatory_error_message: s(),
            max_length: 0,
            multiple_line_text: false,
            reg_ex: s(),
            reg_ex_error_message: s(),
            values: vec![CustomFieldValueResponse { value: s() }],
        }]
    );
    assert_eq!(got.custom_field_values.len(), 1);
    assert_eq!(got.custom_field_values[0].column, s());
    assert_eq!(got.custom_field_values[0].data_type, s());
    assert_eq!(got.comments[0].id, 0);
    assert_eq!(got.comments[0].comments, s());
    assert_eq!(got.comments[0].customer_id, None);
    assert_eq!(got.access_keys[0].access_key_type_id, 0);
    assert_eq!(got.access_keys[0].description, s());
    assert_eq!(got.response_status, Some(serde_json::json!({})));
    assert!(!got.subscribed_to_newsletter);
    assert_eq!(got.invoice_address, Some(invoice_address()));
}

/// A consumer that models only a few members skips the rest, nested lists
/// and objects included.
#[test]
fn response_sample_partial_model() {
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Few {
        email: String,
        subscribed_to_newsletter: bool,
        invoice_address: InvoiceCityOnly,
    }
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct InvoiceCityOnly {
        invoice_city: String,
    }
    let few: Few = jsv::from_str(RESPONSE).unwrap();
    assert_eq!(few.email, "String");
    assert!(!few.subscribed_to_newsletter);
    assert_eq!(few.invoice_address.invoice_city, "String");
}

#[test]
fn response_sample_as_json_value() {
    let v: serde_json::Value = jsv::from_str(RESPONSE).unwrap();
    assert_eq!(
        v["CustomFields"][0]["IsMandatory"],
        serde_json::json!(false)
    );
    assert_eq!(v["CustomFields"][0]["Values"][0]["Value"], "String");
    assert_eq!(v["CustomFieldValues"][0]["Id"], "0");
    assert_eq!(v["ResponseStatus"], serde_json::json!({}));
}
