//! Wire <-> unified for BokaMera, pure.
//!
//! - Request: [`to_request`] writes a unified customer as `UpdateCustomer`;
//!   [`from_request`] reads one back, so the gateway can name what BokaMera
//!   cannot store (the round trip's difference).
//! - Answer: [`from_response`] reads every member of `CustomerQueryResponse`
//!   into the unified customer; [`to_response`] is its inverse (the
//!   simulator and the property tests use it), so no member is dropped.
//!
//! `Email` / `Phone` hold one value: the preferred (else first) entry of
//! `emails` / `phones` is written, and one comes back as a single-entry
//! list holding only the address / number. Vendor ids and timestamps are
//! kept as the vendor wrote them, except .NET's `/Date(ms)/`, which becomes
//! RFC 3339.

use crate::unified::customer::{
    AccessKey, AccessKeyRef, CustomField, CustomFieldChoice, CustomFieldDefinition,
    CustomFieldValue, CustomerComment, Email, InvoiceAddress, Phone,
};
use crate::unified::{Customer, ErrorItem, Field, Guid, Num, TextId, Timestamp};

use super::wire::{
    AddCustomField, AddUserAccessKey, CustomFieldConfigData, CustomFieldDataResponse,
    CustomFieldValueResponse, CustomerCommentsResponse, CustomerQueryResponse, DeleteUserAccessKey,
    InvoiceAddress as WireInvoiceAddress, UpdateCustomer, UserAccessKeys,
};

fn guid(f: Field<String>) -> Field<Guid> {
    f.map(Guid::from_vendor)
}

fn guid_text(f: Field<Guid>) -> Field<String> {
    f.map(Guid::into_string)
}

fn num(f: Field<i64>) -> Field<Num> {
    f.map(Num::from)
}

fn time(f: Field<String>) -> Field<Timestamp> {
    f.map(|t| Timestamp::from_vendor(net_date_to_rfc3339(&t).unwrap_or(t)))
}

fn time_text(f: Field<Timestamp>) -> Field<String> {
    f.map(Timestamp::into_string)
}

fn list<A, B>(f: Field<Vec<A>>, g: impl FnMut(A) -> B) -> Field<Vec<B>> {
    f.map(|v| v.into_iter().map(g).collect())
}

/// Collects the unified values BokaMera's integer members cannot carry.
#[derive(Default)]
struct Ints {
    errors: Vec<ErrorItem>,
}

impl Ints {
    /// A unified number as a vendor integer; anything else is an error
    /// naming `path`.
    fn int(&mut self, f: Field<Num>, path: impl FnOnce() -> String) -> Field<i64> {
        match f {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(n) => match n.as_i64().filter(|_| n.is_integer()) {
                Some(i) => Field::Value(i),
                None => {
                    let path = path();
                    self.errors.push(
                        ErrorItem::new(
                            "not_an_integer",
                            format!("{path} must be an integer for bokamera"),
                        )
                        .field(path),
                    );
                    Field::Absent
                }
            },
        }
    }

    fn list<A, B>(
        &mut self,
        f: Field<Vec<A>>,
        mut g: impl FnMut(&mut Self, usize, A) -> B,
    ) -> Field<Vec<B>> {
        f.map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, a)| g(self, i, a))
                .collect()
        })
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<ErrorItem>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// The entry a single-valued vendor member holds: the first one marked
/// preferred, else the first.
fn preferred<T>(entries: &[T], is_preferred: impl Fn(&T) -> bool) -> Option<&T> {
    entries
        .iter()
        .find(|e| is_preferred(e))
        .or_else(|| entries.first())
}

/// `emails` -> `Email`. An empty list writes nothing (BokaMera has no way
/// to say "no e-mail" but null, which JSV cannot carry), so it is reported
/// as not stored.
pub fn email_of(emails: &Field<Vec<Email>>) -> Field<String> {
    match emails {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(v) => preferred(v, |e| e.is_preferred == Field::Value(true))
            .map_or(Field::Absent, |e| e.address.clone()),
    }
}

/// `phones` -> `Phone`, as [`email_of`].
pub fn phone_of(phones: &Field<Vec<Phone>>) -> Field<String> {
    match phones {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(v) => preferred(v, |p| p.is_preferred == Field::Value(true))
            .map_or(Field::Absent, |p| p.number.clone()),
    }
}

/// `Email` -> `[{address}]`.
pub fn emails_from(email: Field<String>) -> Field<Vec<Email>> {
    email.map(|a| {
        vec![Email {
            address: Field::Value(a),
            ..Email::default()
        }]
    })
}

/// `Phone` -> `[{number}]`.
pub fn phones_from(phone: Field<String>) -> Field<Vec<Phone>> {
    phone.map(|n| {
        vec![Phone {
            number: Field::Value(n),
            ..Phone::default()
        }]
    })
}

fn invoice_to_wire(a: InvoiceAddress) -> WireInvoiceAddress {
    WireInvoiceAddress {
        corporate_identity_number: a.corporate_identity_number,
        invoice_address1: a.line1,
        invoice_address2: a.line2,
        invoice_city: a.city,
        invoice_postal_code: a.postal_code,
        invoice_country_code: a.country_code,
    }
}

fn invoice_from_wire(a: WireInvoiceAddress) -> InvoiceAddress {
    InvoiceAddress {
        corporate_identity_number: a.corporate_identity_number,
        line1: a.invoice_address1,
        line2: a.invoice_address2,
        city: a.invoice_city,
        postal_code: a.invoice_postal_code,
        country_code: a.invoice_country_code,
    }
}

/// The `UpdateCustomer` body of `c`; `company_id` is the request's
/// `CompanyId`. Errors name each unified integer that is not one.
pub fn to_request(
    c: &Customer,
    company_id: Option<String>,
) -> Result<UpdateCustomer, Vec<ErrorItem>> {
    let mut ints = Ints::default();
    let custom_fields = ints.list(c.custom_fields.clone(), |ints, i, f| AddCustomField {
        id: ints.int(f.id, || format!("customFields[{i}].id")),
        value: f.value,
    });
    let access_keys = ints.list(c.access_keys.clone(), |ints, i, k| AddUserAccessKey {
        id: guid_text(k.id),
        company_id: guid_text(k.company_id),
        access_key_type_id: ints.int(k.access_key_type_id, || {
            format!("accessKeys[{i}].accessKeyTypeId")
        }),
        value: k.value,
        customer_id: guid_text(k.customer_id),
        description: k.description,
    });
    let body = UpdateCustomer {
        company_id: company_id.map_or(Field::Absent, Field::Value),
        firstname: c.first_name.clone(),
        lastname: c.last_name.clone(),
        phone: phone_of(&c.phones),
        email: email_of(&c.emails),
        custom_fields,
        access_keys,
        access_keys_to_delete: list(c.access_keys_to_delete.clone(), |k| DeleteUserAccessKey {
            id: guid_text(k.id),
        }),
        subscribed_to_newsletter: c.subscribed_to_newsletter.clone(),
        invoice_address: c.invoice_address.clone().map(invoice_to_wire),
    };
    ints.finish(body)
}

/// The unified customer an `UpdateCustomer` body writes (its `CompanyId`
/// is a request option, not customer data).
pub fn from_request(w: UpdateCustomer) -> Customer {
    Customer {
        first_name: w.firstname,
        last_name: w.lastname,
        emails: emails_from(w.email),
        phones: phones_from(w.phone),
        invoice_address: w.invoice_address.map(invoice_from_wire),
        subscribed_to_newsletter: w.subscribed_to_newsletter,
        custom_fields: list(w.custom_fields, |f| CustomField {
            id: num(f.id),
            value: f.value,
        }),
        access_keys: list(w.access_keys, |k| AccessKey {
            id: guid(k.id),
            company_id: guid(k.company_id),
            access_key_type_id: num(k.access_key_type_id),
            value: k.value,
            customer_id: guid(k.customer_id),
            description: k.description,
        }),
        access_keys_to_delete: list(w.access_keys_to_delete, |k| AccessKeyRef { id: guid(k.id) }),
        ..Customer::default()
    }
}

/// Every member of an answer, in unified names (`ResponseStatus` is the
/// adapter's: it is not customer data).
pub fn from_response(w: CustomerQueryResponse) -> Customer {
    Customer {
        // The unified customer id is a text id; BokaMera's is a Guid, taken
        // as the vendor wrote it.
        id: w.id.map(TextId::from_vendor),
        first_name: w.firstname,
        last_name: w.lastname,
        emails: emails_from(w.email),
        phones: phones_from(w.phone),
        image_url: w.image_url,
        custom_field_definitions: list(w.custom_fields, |d| CustomFieldDefinition {
            id: num(d.id),
            name: d.name,
            description: d.description,
            width: num(d.width),
            data_type: d.data_type,
            default_value: d.default_value,
            is_mandatory: d.is_mandatory,
            mandatory_error_message: d.mandatory_error_message,
            max_length: num(d.max_length),
            multiple_line_text: d.multiple_line_text,
            reg_ex: d.reg_ex,
            reg_ex_error_message: d.reg_ex_error_message,
            values: list(d.values, |v| CustomFieldChoice { value: v.value }),
        }),
        custom_field_values: list(w.custom_field_values, |v| CustomFieldValue {
            id: num(v.id),
            column: v.column,
            name: v.name,
            description: v.description,
            value: v.value,
            data_type: v.data_type,
        }),
        comments: list(w.comments, |c| CustomerComment {
            id: num(c.id),
            customer_id: guid(c.customer_id),
            text: c.comments,
            updated_at: time(c.updated),
            created_at: time(c.created),
            image_url: c.image_url,
        }),
        access_keys: list(w.access_keys, |k| AccessKey {
            id: guid(k.id),
            company_id: guid(k.company_id),
            access_key_type_id: num(k.access_key_type_id),
            value: k.value,
            customer_id: guid(k.customer_id),
            description: k.description,
        }),
        updated_at: time(w.updated),
        created_at: time(w.created),
        subscribed_to_newsletter: w.subscribed_to_newsletter,
        invoice_address: w.invoice_address.map(invoice_from_wire),
        ..Customer::default()
    }
}

/// The answer that [`from_response`] reads as `c` (without
/// `ResponseStatus`). Errors name each unified integer that is not one.
pub fn to_response(c: &Customer) -> Result<CustomerQueryResponse, Vec<ErrorItem>> {
    let mut ints = Ints::default();
    let c = c.clone();
    let custom_fields = ints.list(c.custom_field_definitions, |ints, i, d| {
        CustomFieldConfigData {
            id: ints.int(d.id, || format!("customFieldDefinitions[{i}].id")),
            name: d.name,
            description: d.description,
            width: ints.int(d.width, || format!("customFieldDefinitions[{i}].width")),
            data_type: d.data_type,
            default_value: d.default_value,
            is_mandatory: d.is_mandatory,
            mandatory_error_message: d.mandatory_error_message,
            max_length: ints.int(d.max_length, || {
                format!("customFieldDefinitions[{i}].maxLength")
            }),
            multiple_line_text: d.multiple_line_text,
            reg_ex: d.reg_ex,
            reg_ex_error_message: d.reg_ex_error_message,
            values: list(d.values, |v| CustomFieldValueResponse { value: v.value }),
        }
    });
    let custom_field_values = ints.list(c.custom_field_values, |ints, i, v| {
        CustomFieldDataResponse {
            id: ints.int(v.id, || format!("customFieldValues[{i}].id")),
            column: v.column,
            name: v.name,
            description: v.description,
            value: v.value,
            data_type: v.data_type,
        }
    });
    let comments = ints.list(c.comments, |ints, i, m| CustomerCommentsResponse {
        id: ints.int(m.id, || format!("comments[{i}].id")),
        customer_id: guid_text(m.customer_id),
        comments: m.text,
        updated: time_text(m.updated_at),
        created: time_text(m.created_at),
        image_url: m.image_url,
    });
    let access_keys = ints.list(c.access_keys, |ints, i, k| UserAccessKeys {
        company_id: guid_text(k.company_id),
        access_key_type_id: ints.int(k.access_key_type_id, || {
            format!("accessKeys[{i}].accessKeyTypeId")
        }),
        value: k.value,
        customer_id: guid_text(k.customer_id),
        description: k.description,
        id: guid_text(k.id),
    });
    let body = CustomerQueryResponse {
        id: c.id.map(TextId::into_string),
        firstname: c.first_name,
        lastname: c.last_name,
        email: email_of(&c.emails),
        phone: phone_of(&c.phones),
        image_url: c.image_url,
        custom_fields,
        custom_field_values,
        comments,
        access_keys,
        updated: time_text(c.updated_at),
        created: time_text(c.created_at),
        response_status: Field::Absent,
        subscribed_to_newsletter: c.subscribed_to_newsletter,
        invoice_address: c.invoice_address.map(invoice_to_wire),
    };
    ints.finish(body)
}

/// .NET's `/Date(1700000000000)/` or `/Date(1700000000000+0100)/` (what
/// ServiceStack's JSON writes for a DateTime by default) as RFC 3339 UTC
/// with milliseconds; `None` for any other text, which is kept as it came.
pub fn net_date_to_rfc3339(text: &str) -> Option<String> {
    let inner = text
        .strip_prefix("/Date(")
        .or_else(|| text.strip_prefix("\\/Date("))?;
    let inner = inner
        .strip_suffix(")/")
        .or_else(|| inner.strip_suffix(")\\/"))?;
    // The offset after the milliseconds only says which zone to show; the
    // milliseconds are UTC already.
    let end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map_or(inner.len(), |(i, _)| i);
    let (ms, offset) = inner.split_at(end);
    if !(offset.is_empty()
        || (offset.len() == 5 && offset[1..].bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    let ms: i64 = ms.parse().ok()?;
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    ))
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian
/// (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn customer(v: serde_json::Value) -> Customer {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn preferred_else_first_email_and_phone() {
        let c = customer(json!({
            "emails": [{"address": "a@x"}, {"address": "b@x", "isPreferred": true}],
            "phones": [{"number": "1"}, {"number": "2", "isPreferred": false}]
        }));
        let w = to_request(&c, None).unwrap();
        assert_eq!(w.email, Field::Value("b@x".into()));
        assert_eq!(w.phone, Field::Value("1".into()));
        let back = from_request(w);
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            json!({"emails": [{"address": "b@x"}], "phones": [{"number": "1"}]})
        );
        let empty = customer(json!({"emails": [], "phones": null}));
        let w = to_request(&empty, None).unwrap();
        assert_eq!((w.email, w.phone), (Field::Absent, Field::Null));
    }

    #[test]
    fn integers_are_checked_and_named() {
        let c = customer(json!({
            "customFields": [{"id": 1, "value": "v"}, {"id": 1.5}],
            "accessKeys": [{"accessKeyTypeId": 2.0}]
        }));
        let errors = to_request(&c, None).unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            ["customFields[1].id", "accessKeys[0].accessKeyTypeId"]
        );
    }

    #[test]
    fn net_dates() {
        assert_eq!(
            net_date_to_rfc3339("/Date(0)/").as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            net_date_to_rfc3339("/Date(1700000000123+0100)/").as_deref(),
            Some("2023-11-14T22:13:20.123Z")
        );
        assert_eq!(
            net_date_to_rfc3339("/Date(-1)/").as_deref(),
            Some("1969-12-31T23:59:59.999Z")
        );
        assert_eq!(
            net_date_to_rfc3339("\\/Date(951782400000-0500)\\/").as_deref(),
            Some("2000-02-29T00:00:00.000Z")
        );
        for t in ["2024-01-01T00:00:00Z", "/Date(x)/", "/Date(1+01)/", ""] {
            assert_eq!(net_date_to_rfc3339(t), None, "{t}");
        }
    }
}
