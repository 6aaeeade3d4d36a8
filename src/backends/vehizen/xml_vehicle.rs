//! The vehicle side of Vehizen DataContract XML: `VehicleLightDto` and
//! its `ExternalInterfaceHeaderDto`s, as tables and as list members of a
//! group.

use crate::unified::Field;
use crate::xml::{Child, UnknownPaths, XmlError, XmlReader, XmlWriter};

use super::enums::{CAMERA_TYPE, MALFUNCTION_LEVEL, STATE};
use super::wire::{ExternalInterfaceHeaderDto, VehicleLightDto};
use super::xml_members::{
    member, read_list, read_members, write_list, write_members, Member, Prefixes, NS_DTO, NS_EXT,
};

/// How many of [`VEHICLE`]'s members belong to the base type
/// (`Vehizen.Domain.Dto.VehicleBaseDto` members come first).
pub const VEHICLE_BASE_LEN: usize = 18;

/// `VehicleLightDto`: base members, then derived members, each in ordinal
/// order. `FullName` and `Utility` are not in the XML contract.
pub const VEHICLE: &[Member<VehicleLightDto>] = &[
    member!(veh, "Brand", brand, str),
    member!(veh, "CompatibleDownload", compatible_download, bool),
    member!(veh, "CustomerId", customer_id, str),
    member!(
        veh,
        "DateUtcChangeMalfunctionLevel",
        date_utc_change_malfunction_level,
        str
    ),
    member!(veh, "FuelName", fuel_name, str),
    member!(veh, "FuelTypeId", fuel_type_id, num),
    member!(veh, "FuelTypeIdSynthesis", fuel_type_id_synthesis, num),
    member!(veh, "HasMalfunctionHistory", has_malfunction_history, bool),
    member!(veh, "IsActive", is_active, bool),
    member!(veh, "IsFuelTypeConflict", is_fuel_type_conflict, bool),
    member!(
        veh,
        "IsVehicleCallForMaintenance",
        is_vehicle_call_for_maintenance,
        bool
    ),
    member!(veh, "LicencePlate", licence_plate, str),
    member!(veh, "MalfunctionLevel", malfunction_level, enum MALFUNCTION_LEVEL),
    member!(veh, "Model", model, str),
    member!(veh, "Name", name, str),
    member!(veh, "State", state, enum STATE),
    member!(veh, "VehicleId", vehicle_id, str),
    member!(veh, "VehicleType", vehicle_type, str),
    // Derived members.
    member!(veh, "AgencyAffiliationId", agency_affiliation_id, str),
    member!(veh, "AgencyAffiliationName", agency_affiliation_name, str),
    member!(veh, "CANFuelReportUtc", can_fuel_report_utc, str),
    member!(veh, "CameraType", camera_type, enum CAMERA_TYPE),
    member!(veh, "CustomerGroupId", customer_group_id, str),
    member!(veh, "CustomerGroupName", customer_group_name, str),
    member!(veh, "ExternalInterfaceId", external_interface_id, str),
    Member {
        name: "ExternalInterfaces",
        write: |w, p, v| write_external_interfaces(w, p, &v.external_interfaces),
        read: |r, el, p, v, u| {
            v.external_interfaces = read_external_interfaces(r, el, p, u)?;
            Ok(())
        },
    },
    member!(veh, "IdWS", id_ws, num),
    member!(veh, "Imei", imei, str),
    member!(
        veh,
        "InitialEntryIntoService",
        initial_entry_into_service,
        str
    ),
    member!(veh, "JobActivity", job_activity, str),
    member!(veh, "KmEndOfLease", km_end_of_lease, num),
    member!(veh, "KmStartOfLease", km_start_of_lease, num),
    member!(veh, "Milestone", milestone, num),
    member!(veh, "MilestoneAtAssignment", milestone_at_assignment, num),
    member!(veh, "MobileUnitId", mobile_unit_id, str),
    member!(veh, "MobileUnitName", mobile_unit_name, str),
    member!(veh, "NoGeoloc", no_geoloc, bool),
    member!(veh, "Renting", renting, bool),
    member!(veh, "ReservoirVolume", reservoir_volume, num),
    member!(veh, "TachySpeedLimit", tachy_speed_limit, num),
    member!(veh, "TheoreticalConsumption", theoretical_consumption, num),
    member!(veh, "Tolerance", tolerance, num),
    member!(veh, "TotalFuelUsed", total_fuel_used, num),
    member!(veh, "UtcEndOfLease", utc_end_of_lease, str),
    member!(veh, "UtcMileageReport", utc_mileage_report, str),
    member!(veh, "UtcStartOfLease", utc_start_of_lease, str),
    member!(veh, "VIN", vin, str),
    member!(veh, "VehicleState", vehicle_state, enum STATE),
];

/// `ExternalInterfaceHeaderDto`.
pub const EXTERNAL_INTERFACE: &[Member<ExternalInterfaceHeaderDto>] = &[
    member!(ext, "CustomerId", customer_id, str),
    member!(ext, "Id", id, str),
    member!(ext, "Name", name, str),
];

pub fn write_vehicles(w: &mut XmlWriter, p: &Prefixes, list: &Field<Vec<VehicleLightDto>>) {
    write_list(w, (p.group, "Vehicles", p.veh_decl), list, |w, v| {
        w.start(p.veh, "VehicleLightDto", "");
        write_members(w, p, VEHICLE, v);
        w.end(p.veh, "VehicleLightDto");
    });
}

pub fn write_external_interfaces(
    w: &mut XmlWriter,
    p: &Prefixes,
    list: &Field<Vec<ExternalInterfaceHeaderDto>>,
) {
    write_list(
        w,
        (p.veh, "ExternalInterfaces", p.ext_decl),
        list,
        |w, x| {
            w.start(p.ext, "ExternalInterfaceHeaderDto", "");
            write_members(w, p, EXTERNAL_INTERFACE, x);
            w.end(p.ext, "ExternalInterfaceHeaderDto");
        },
    );
}

pub fn read_vehicles<'a>(
    r: &mut XmlReader<'a>,
    el: &Child<'a>,
    p: &Prefixes,
    u: &mut UnknownPaths,
) -> Result<Field<Vec<VehicleLightDto>>, XmlError> {
    read_list(
        r,
        el,
        (NS_DTO, "VehicleLightDto", "Vehicles"),
        u,
        |r, it, u| read_members(r, it, NS_DTO, p, VEHICLE, u),
    )
}

pub fn read_external_interfaces<'a>(
    r: &mut XmlReader<'a>,
    el: &Child<'a>,
    p: &Prefixes,
    u: &mut UnknownPaths,
) -> Result<Field<Vec<ExternalInterfaceHeaderDto>>, XmlError> {
    read_list(
        r,
        el,
        (NS_EXT, "ExternalInterfaceHeaderDto", "ExternalInterfaces"),
        u,
        |r, it, u| read_members(r, it, NS_EXT, p, EXTERNAL_INTERFACE, u),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::vehizen::wire::CustomerGroupDto;
    use crate::backends::vehizen::xml_members::assert_ordinal;

    #[test]
    fn each_group_is_in_ordinal_order() {
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
