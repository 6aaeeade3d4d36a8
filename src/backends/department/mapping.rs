//! Unified <-> department wire model. Pure and lossless on every member the
//! department stores; unified members it has no place for (`invoiceAddress`,
//! `customFields`, `accessKeys`, `subscribedToNewsletter`, Vehizen-only
//! vehicle members, `odometer.reportedAt`) are left out, and the gateway
//! names them from the round trip (see `unified::unstored`).

use super::wire::{
    AddressDto, CustomerDto, EmailDto, PhoneDto, TimeWindowDto, UpdateCustomerRequest, VehicleDto,
};
use crate::unified::customer::{Address, Email, Phone, TimeWindow};
use crate::unified::{Customer, Field, NumOrText, Odometer, TextId, Timestamp, Vehicle, VehicleId};

/// The request-scoped members of the body, already resolved (request
/// option, else config default, else left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestOptions {
    pub requester_user_uuid: Option<String>,
    pub dealer_uuid_list: Option<Vec<String>>,
    pub validate_vin: Option<bool>,
    pub search_for_duplicate: Option<bool>,
}

fn opt<T>(v: Option<T>) -> Field<T> {
    v.map_or(Field::Absent, Field::Value)
}

fn list<A, B>(f: Field<Vec<A>>, each: impl Fn(A) -> B) -> Field<Vec<B>> {
    f.map(|v| v.into_iter().map(each).collect())
}

/// The department types its ids as plain strings: passed as they are.
fn id_text(f: Field<TextId>) -> Field<String> {
    f.map(TextId::into_string)
}

fn text_id(f: Field<String>) -> Field<TextId> {
    f.map(TextId::from_vendor)
}

/// The whole body for `customer` with `options`.
pub fn to_request(customer: Customer, options: RequestOptions) -> UpdateCustomerRequest {
    let vehicles = list(customer.vehicles.clone(), vehicle_to_wire);
    UpdateCustomerRequest {
        requester_user_uuid: opt(options.requester_user_uuid),
        dealer_uuid_list: opt(options.dealer_uuid_list),
        customer: Field::Value(customer_to_wire(customer)),
        vehicles,
        validate_vin: opt(options.validate_vin),
        search_for_duplicate: opt(options.search_for_duplicate),
    }
}

/// The unified customer a body carries (its request options aside).
pub fn from_request(req: UpdateCustomerRequest) -> Customer {
    let mut c = req
        .customer
        .into_value()
        .map(customer_from_wire)
        .unwrap_or_default();
    c.vehicles = list(req.vehicles, vehicle_from_wire);
    c
}

/// `customer` of the body (vehicles travel beside it).
pub fn customer_to_wire(c: Customer) -> CustomerDto {
    CustomerDto {
        customer_key: c.external_key,
        first_name: c.first_name,
        last_name: c.last_name,
        company: c.company,
        is_business: c.is_business,
        best_time_to_contact: c.best_time_to_contact.map(|t| TimeWindowDto {
            start_time: t.start,
            end_time: t.end,
        }),
        preferred_communication: c.preferred_communication,
        addresses: list(c.addresses, address_to_wire),
        preferred_locale: c.preferred_locale,
        customer_uuid: id_text(c.id),
        emails: list(c.emails, |e| EmailDto {
            email_address: e.address,
            label: e.label,
            ok_to_email: e.ok_to_email,
            is_preferred: e.is_preferred,
            comments: e.comments,
        }),
        phone_numbers: list(c.phones, |p| PhoneDto {
            phone_number: p.number,
            label: p.label,
            ok_to_call: p.ok_to_call,
            ok_to_text: p.ok_to_text,
            is_preferred: p.is_preferred,
            comments: p.comments,
        }),
    }
}

/// The unified customer of a wire `customer` (no vehicles).
pub fn customer_from_wire(w: CustomerDto) -> Customer {
    Customer {
        id: text_id(w.customer_uuid),
        external_key: w.customer_key,
        first_name: w.first_name,
        last_name: w.last_name,
        company: w.company,
        is_business: w.is_business,
        emails: list(w.emails, |e| Email {
            address: e.email_address,
            label: e.label,
            ok_to_email: e.ok_to_email,
            is_preferred: e.is_preferred,
            comments: e.comments,
        }),
        phones: list(w.phone_numbers, |p| Phone {
            number: p.phone_number,
            label: p.label,
            ok_to_call: p.ok_to_call,
            ok_to_text: p.ok_to_text,
            is_preferred: p.is_preferred,
            comments: p.comments,
        }),
        addresses: list(w.addresses, address_from_wire),
        preferred_locale: w.preferred_locale,
        preferred_communication: w.preferred_communication,
        best_time_to_contact: w.best_time_to_contact.map(|t| TimeWindow {
            start: t.start_time,
            end: t.end_time,
        }),
        ..Customer::default()
    }
}

fn address_to_wire(a: Address) -> AddressDto {
    AddressDto {
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        zip: a.postal_code,
        address_type: a.address_type,
        r#type: a.r#type,
        country: a.country,
        update_ts: a.updated_at.map(Timestamp::into_string),
        uuid: id_text(a.id),
        is_valid: a.is_valid,
        is_preferred: a.is_preferred,
        state: a.state,
    }
}

fn address_from_wire(a: AddressDto) -> Address {
    Address {
        id: text_id(a.uuid),
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        postal_code: a.zip,
        state: a.state,
        country: a.country,
        address_type: a.address_type,
        r#type: a.r#type,
        is_preferred: a.is_preferred,
        is_valid: a.is_valid,
        updated_at: a.update_ts.map(Timestamp::from_vendor),
    }
}

/// `estimatedMileage`: `odometer.km` as text; a null odometer (or km)
/// clears it; else `odometerText` verbatim.
fn mileage_to_wire(odometer: &Field<Odometer>, text: Field<String>) -> Field<String> {
    match odometer {
        Field::Null => Field::Null,
        Field::Value(o) if o.km.is_present() => o.km.as_ref().map(|n| n.to_string()),
        _ => text,
    }
}

pub fn vehicle_to_wire(v: Vehicle) -> VehicleDto {
    let estimated_mileage = mileage_to_wire(&v.odometer, v.odometer_text);
    VehicleDto {
        vin: v.vin,
        vehicle_year: v.year.map(|y| y.to_text()),
        vehicle_make: v.make,
        vehicle_model: v.model,
        estimated_mileage,
        vehicle_key: v.external_key,
        vehicle_trim: v.trim,
        license_plate: v.license_plate,
        color: v.color,
        vehicle_uuid: VehicleId::text(v.id),
        vehicle_engine: v.engine,
        is_matching: v.is_matching,
        is_valid: v.is_valid,
    }
}

pub fn vehicle_from_wire(w: VehicleDto) -> Vehicle {
    let (odometer, odometer_text) = match w.estimated_mileage {
        Field::Absent => (Field::Absent, Field::Absent),
        Field::Null => (Field::Null, Field::Absent),
        Field::Value(t) => match NumOrText::from_text(t) {
            NumOrText::Num(n) => (
                Field::Value(Odometer {
                    km: Field::Value(n),
                    reported_at: Field::Absent,
                }),
                Field::Absent,
            ),
            NumOrText::Text(t) => (Field::Absent, Field::Value(t)),
        },
    };
    Vehicle {
        id: VehicleId::from_vendor(w.vehicle_uuid),
        vin: w.vin,
        license_plate: w.license_plate,
        make: w.vehicle_make,
        model: w.vehicle_model,
        odometer,
        year: w.vehicle_year.map(NumOrText::from_text),
        trim: w.vehicle_trim,
        color: w.color,
        engine: w.vehicle_engine,
        external_key: w.vehicle_key,
        odometer_text,
        is_matching: w.is_matching,
        is_valid: w.is_valid,
        ..Vehicle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unified::Num;
    use serde_json::json;

    fn customer(v: serde_json::Value) -> Customer {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn unified_to_wire_uses_the_vendor_names() {
        let c = customer(json!({
            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
            "externalKey": "K1",
            "firstName": "Åsa",
            "emails": [{"address": "a@example.com", "okToEmail": true}],
            "phones": [{"number": "+46 70", "okToText": false}],
            "addresses": [{"postalCode": "11122", "updatedAt": "2025-04-07T07:51:23.899Z", "type": "COMMON"}],
            "bestTimeToContact": {"start": "09:00", "end": null},
            "vehicles": [{"year": 2019, "odometer": {"km": 12000}, "make": "Volvo", "externalKey": "V1"}]
        }));
        let body = to_request(
            c,
            RequestOptions {
                requester_user_uuid: Some("u".into()),
                dealer_uuid_list: Some(vec!["d".into()]),
                validate_vin: Some(true),
                search_for_duplicate: None,
            },
        );
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({
                "requesterUserUUID": "u",
                "dealerUUIDList": ["d"],
                "customer": {
                    "customerKey": "K1",
                    "firstName": "Åsa",
                    "bestTimeToContact": {"startTime": "09:00", "endTime": null},
                    "addresses": [{"zip": "11122", "type": "COMMON", "updateTS": "2025-04-07T07:51:23.899Z"}],
                    "customerUuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "emails": [{"emailAddress": "a@example.com", "okToEmail": true}],
                    "phoneNumbers": [{"phoneNumber": "+46 70", "okToText": false}]
                },
                "vehicles": [{"vehicleYear": "2019", "vehicleMake": "Volvo", "estimatedMileage": "12000", "vehicleKey": "V1"}],
                "validateVin": true
            })
        );
    }

    #[test]
    fn wire_to_unified_keeps_non_numeric_text() {
        let v = vehicle_from_wire(VehicleDto {
            vehicle_year: Field::Value("MY19".into()),
            estimated_mileage: Field::Value("about 12k".into()),
            ..VehicleDto::default()
        });
        assert_eq!(v.year, Field::Value(NumOrText::Text("MY19".into())));
        assert_eq!(v.odometer, Field::Absent);
        assert_eq!(v.odometer_text, Field::Value("about 12k".into()));
        let back = vehicle_to_wire(v);
        assert_eq!(back.vehicle_year, Field::Value("MY19".into()));
        assert_eq!(back.estimated_mileage, Field::Value("about 12k".into()));

        let v = vehicle_from_wire(VehicleDto {
            vehicle_year: Field::Value("2019".into()),
            estimated_mileage: Field::Value("12000.5".into()),
            ..VehicleDto::default()
        });
        assert_eq!(v.year, Field::Value(NumOrText::Num(Num::from(2019))));
        assert_eq!(
            v.odometer
                .value()
                .and_then(|o| o.km.value())
                .map(|n| n.to_string()),
            Some("12000.5".into())
        );
    }

    #[test]
    fn null_mileage_clears_and_stays_null() {
        let v = vehicle_from_wire(VehicleDto {
            estimated_mileage: Field::Null,
            ..VehicleDto::default()
        });
        assert_eq!(v.odometer, Field::Null);
        assert_eq!(vehicle_to_wire(v).estimated_mileage, Field::Null);
    }

    #[test]
    fn bokamera_and_vehizen_members_are_not_sent() {
        let c = customer(json!({
            "subscribedToNewsletter": true,
            "invoiceAddress": {"line1": "x"},
            "customFields": [{"id": 1, "value": "v"}],
            "accessKeys": [{"value": "k"}],
            "vehicles": [{"name": "Truck 7", "odometer": {"km": 5, "reportedAt": "2025-01-01T00:00:00Z"}}]
        }));
        let back = from_request(to_request(c, RequestOptions::default()));
        let v = serde_json::to_value(&back).unwrap();
        assert_eq!(v, json!({"vehicles": [{"odometer": {"km": 5}}]}));
    }
}
