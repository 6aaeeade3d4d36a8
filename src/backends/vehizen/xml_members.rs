//! DataContract member tables of the Vehizen DTOs: for each member its XML
//! name, how to write it and how to read it. A table's order is the order
//! the .NET reader wants (base type first, each group in ordinal order).

use crate::unified::{Field, Num};
use crate::xml::read::parse_bool;
use crate::xml::{Child, UnknownPaths, XmlError, XmlReader, XmlWriter};

use super::enums::{CAMERA_TYPE, MALFUNCTION_LEVEL, STATE};
use super::wire::{CustomerGroupDto, ExternalInterfaceHeaderDto, VehicleLightDto};
use super::xml::{
    read_external_interfaces, read_vehicles, write_external_interfaces, write_vehicles, Prefixes,
};

pub type WriteFn<T> = fn(&mut XmlWriter, &Prefixes, &T);
pub type ReadFn<T> = for<'a> fn(
    &mut XmlReader<'a>,
    &Child<'a>,
    &Prefixes,
    &mut T,
    &mut UnknownPaths,
) -> Result<(), XmlError>;

pub struct Member<T> {
    pub name: &'static str,
    pub write: WriteFn<T>,
    pub read: ReadFn<T>,
}

pub fn read_str<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<String>, XmlError> {
    Ok(r.field_text(el)?.map(|t| t.into_owned()))
}

pub fn read_num<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<Num>, XmlError> {
    r.field_parsed(el, "number", Num::parse)
}

pub fn read_bool<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<bool>, XmlError> {
    r.field_parsed(el, "boolean", parse_bool)
}

/// One table entry. `$p` picks the member prefix from [`Prefixes`].
macro_rules! m {
    ($p:ident, $name:literal, $f:ident, str) => {
        Member {
            name: $name,
            write: |w, p, v| w.str_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = read_str(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, num) => {
        Member {
            name: $name,
            write: |w, p, v| w.num_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = read_num(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, bool) => {
        Member {
            name: $name,
            write: |w, p, v| w.bool_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = read_bool(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, enum $t:ident) => {
        Member {
            name: $name,
            write: |w, p, v| w.field(p.$p, $name, v.$f.as_ref(), |w, e| w.text(&$t.xml_text(e))),
            read: |r, el, _, v, _| {
                v.$f = r.field_text(el)?.map(|t| $t.from_xml_text(&t));
                Ok(())
            },
        }
    };
}

/// `CustomerGroupDto`: one group, ordinal order.
pub const GROUP: &[Member<CustomerGroupDto>] = &[
    m!(group, "CustomerId", customer_id, str),
    m!(group, "Id", id, str),
    m!(group, "Name", name, str),
    m!(group, "ProfilEcoDriveId", profil_eco_drive_id, str),
    Member {
        name: "Vehicles",
        write: |w, p, v| write_vehicles(w, p, &v.vehicles),
        read: |r, el, p, v, u| {
            v.vehicles = read_vehicles(r, el, p, u)?;
            Ok(())
        },
    },
];

/// How many of [`VEHICLE`]'s members belong to the base type
/// (`Vehizen.Domain.Dto.VehicleBaseDto` members come first).
pub const VEHICLE_BASE_LEN: usize = 18;

/// `VehicleLightDto`: base members, then derived members, each in ordinal
/// order. `FullName` and `Utility` are not in the XML contract.
pub const VEHICLE: &[Member<VehicleLightDto>] = &[
    m!(veh, "Brand", brand, str),
    m!(veh, "CompatibleDownload", compatible_download, bool),
    m!(veh, "CustomerId", customer_id, str),
    m!(
        veh,
        "DateUtcChangeMalfunctionLevel",
        date_utc_change_malfunction_level,
        str
    ),
    m!(veh, "FuelName", fuel_name, str),
    m!(veh, "FuelTypeId", fuel_type_id, num),
    m!(veh, "FuelTypeIdSynthesis", fuel_type_id_synthesis, num),
    m!(veh, "HasMalfunctionHistory", has_malfunction_history, bool),
    m!(veh, "IsActive", is_active, bool),
    m!(veh, "IsFuelTypeConflict", is_fuel_type_conflict, bool),
    m!(
        veh,
        "IsVehicleCallForMaintenance",
        is_vehicle_call_for_maintenance,
        bool
    ),
    m!(veh, "LicencePlate", licence_plate, str),
    m!(veh, "MalfunctionLevel", malfunction_level, enum MALFUNCTION_LEVEL),
    m!(veh, "Model", model, str),
    m!(veh, "Name", name, str),
    m!(veh, "State", state, enum STATE),
    m!(veh, "VehicleId", vehicle_id, str),
    m!(veh, "VehicleType", vehicle_type, str),
    // Derived members.
    m!(veh, "AgencyAffiliationId", agency_affiliation_id, str),
    m!(veh, "AgencyAffiliationName", agency_affiliation_name, str),
    m!(veh, "CANFuelReportUtc", can_fuel_report_utc, str),
    m!(veh, "CameraType", camera_type, enum CAMERA_TYPE),
    m!(veh, "CustomerGroupId", customer_group_id, str),
    m!(veh, "CustomerGroupName", customer_group_name, str),
    m!(veh, "ExternalInterfaceId", external_interface_id, str),
    Member {
        name: "ExternalInterfaces",
        write: |w, p, v| write_external_interfaces(w, p, &v.external_interfaces),
        read: |r, el, p, v, u| {
            v.external_interfaces = read_external_interfaces(r, el, p, u)?;
            Ok(())
        },
    },
    m!(veh, "IdWS", id_ws, num),
    m!(veh, "Imei", imei, str),
    m!(
        veh,
        "InitialEntryIntoService",
        initial_entry_into_service,
        str
    ),
    m!(veh, "JobActivity", job_activity, str),
    m!(veh, "KmEndOfLease", km_end_of_lease, num),
    m!(veh, "KmStartOfLease", km_start_of_lease, num),
    m!(veh, "Milestone", milestone, num),
    m!(veh, "MilestoneAtAssignment", milestone_at_assignment, num),
    m!(veh, "MobileUnitId", mobile_unit_id, str),
    m!(veh, "MobileUnitName", mobile_unit_name, str),
    m!(veh, "NoGeoloc", no_geoloc, bool),
    m!(veh, "Renting", renting, bool),
    m!(veh, "ReservoirVolume", reservoir_volume, num),
    m!(veh, "TachySpeedLimit", tachy_speed_limit, num),
    m!(veh, "TheoreticalConsumption", theoretical_consumption, num),
    m!(veh, "Tolerance", tolerance, num),
    m!(veh, "TotalFuelUsed", total_fuel_used, num),
    m!(veh, "UtcEndOfLease", utc_end_of_lease, str),
    m!(veh, "UtcMileageReport", utc_mileage_report, str),
    m!(veh, "UtcStartOfLease", utc_start_of_lease, str),
    m!(veh, "VIN", vin, str),
    m!(veh, "VehicleState", vehicle_state, enum STATE),
];

/// `ExternalInterfaceHeaderDto`.
pub const EXTERNAL_INTERFACE: &[Member<ExternalInterfaceHeaderDto>] = &[
    m!(ext, "CustomerId", customer_id, str),
    m!(ext, "Id", id, str),
    m!(ext, "Name", name, str),
];

/// Writes every member of `v` in table order.
pub fn write_members<T>(w: &mut XmlWriter, p: &Prefixes, members: &[Member<T>], v: &T) {
    for m in members {
        (m.write)(w, p, v);
    }
}

/// Reads the members of `parent` in any order (the canonical order is the
/// fast path); unknown elements are skipped and reported.
pub fn read_members<'a, T: Default>(
    r: &mut XmlReader<'a>,
    parent: &Child<'a>,
    ns: &str,
    p: &Prefixes,
    members: &[Member<T>],
    u: &mut UnknownPaths,
) -> Result<T, XmlError> {
    let mut v = T::default();
    let mut next = 0;
    while let Some(el) = r.next_child(parent, ns)? {
        let name = el.name();
        let found = match members.get(next) {
            Some(m) if m.name.as_bytes() == name => Some(next),
            _ => members.iter().position(|m| m.name.as_bytes() == name),
        };
        match found {
            Some(i) => {
                (members[i].read)(r, &el, p, &mut v, u)?;
                next = i + 1;
            }
            None => {
                u.report(&el.report_name());
                r.skip(&el)?;
            }
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_ordinal<T>(members: &[Member<T>]) {
        for pair in members.windows(2) {
            assert!(
                pair[0].name.as_bytes() < pair[1].name.as_bytes(),
                "{} must come before {}",
                pair[1].name,
                pair[0].name
            );
        }
    }

    #[test]
    fn each_group_is_in_ordinal_order() {
        assert_ordinal(GROUP);
        assert_ordinal(&VEHICLE[..VEHICLE_BASE_LEN]);
        assert_ordinal(&VEHICLE[VEHICLE_BASE_LEN..]);
        assert_ordinal(EXTERNAL_INTERFACE);
        assert_eq!(VEHICLE[VEHICLE_BASE_LEN - 1].name, "VehicleType");
        assert_eq!(VEHICLE[VEHICLE_BASE_LEN].name, "AgencyAffiliationId");
    }

    #[test]
    fn every_wire_member_but_two_is_in_the_table() {
        // The PUT sample has every member.
        let group: CustomerGroupDto =
            serde_json::from_str(super::super::sim::fixtures::PUT_REQUEST_JSON).unwrap();
        let vehicles = group.vehicles.into_value().unwrap();
        let json = serde_json::to_value(&vehicles[0]).unwrap();
        let names: Vec<&str> = VEHICLE.iter().map(|m| m.name).collect();
        for key in json.as_object().unwrap().keys() {
            let expected = !matches!(key.as_str(), "FullName" | "Utility");
            assert_eq!(names.contains(&key.as_str()), expected, "{key}");
        }
        assert_eq!(names.len() + 2, json.as_object().unwrap().len());
    }
}
