//! Vehizen DataContract XML, streamed: a `CustomerGroupDto` answer straight
//! to the unified group's JSON (see [`crate::backends::stream::xml`]).
//! Members are in the order the .NET reader wants (`xml_members.rs`),
//! which the reader tries first; `FullName` and `Utility` are not in the
//! XML contract.

use super::enums::{CAMERA_TYPE, MALFUNCTION_LEVEL, STATE};
use super::stream_out::{self, ext, group, veh};
use super::xml_members::{NS_DTO, NS_EXT, NS_GROUP};
use crate::backends::stream::shape::{m, Kind, Shape};
use crate::backends::stream::xml::{self, Doc, FIRST};
use crate::xml::NS_XSI;

/// Namespace ids, in the order of [`DOC`]'s list.
const GROUP_NS: u8 = FIRST;
const DTO_NS: u8 = FIRST + 1;
const EXT_NS: u8 = FIRST + 2;
const XSI_NS: u8 = FIRST + 3;

pub static GROUP: Shape = Shape {
    members: &[
        m("CustomerId", Kind::Str, group::CUSTOMER_ID),
        m("Id", Kind::Str, group::ID),
        m("Name", Kind::Str, group::NAME),
        m("ProfilEcoDriveId", Kind::Str, group::PROFIL_ECO_DRIVE_ID),
        m("Vehicles", Kind::List(&VEHICLE), group::VEHICLES),
    ],
    out: stream_out::GROUP,
    slots: group::SLOTS,
    xml: Some((GROUP_NS, "CustomerGroupDto")),
};

pub static VEHICLE: Shape = Shape {
    members: &[
        m("Brand", Kind::Str, veh::BRAND),
        m("CompatibleDownload", Kind::Bool, veh::COMPATIBLE_DOWNLOAD),
        m("CustomerId", Kind::Str, veh::CUSTOMER_ID),
        m(
            "DateUtcChangeMalfunctionLevel",
            Kind::Str,
            veh::DATE_UTC_CHANGE_MALFUNCTION_LEVEL,
        ),
        m("FuelName", Kind::Str, veh::FUEL_NAME),
        m("FuelTypeId", Kind::Num, veh::FUEL_TYPE_ID),
        m(
            "FuelTypeIdSynthesis",
            Kind::Num,
            veh::FUEL_TYPE_ID_SYNTHESIS,
        ),
        m(
            "HasMalfunctionHistory",
            Kind::Bool,
            veh::HAS_MALFUNCTION_HISTORY,
        ),
        m("IsActive", Kind::Bool, veh::IS_ACTIVE),
        m("IsFuelTypeConflict", Kind::Bool, veh::IS_FUEL_TYPE_CONFLICT),
        m(
            "IsVehicleCallForMaintenance",
            Kind::Bool,
            veh::IS_VEHICLE_CALL_FOR_MAINTENANCE,
        ),
        m("LicencePlate", Kind::Str, veh::LICENCE_PLATE),
        m(
            "MalfunctionLevel",
            Kind::Enum(MALFUNCTION_LEVEL.entries),
            veh::MALFUNCTION_LEVEL,
        ),
        m("Model", Kind::Str, veh::MODEL),
        m("Name", Kind::Str, veh::NAME),
        m("State", Kind::Enum(STATE.entries), veh::STATE),
        m("VehicleId", Kind::Str, veh::VEHICLE_ID),
        m("VehicleType", Kind::Str, veh::VEHICLE_TYPE),
        // Derived members.
        m("AgencyAffiliationId", Kind::Str, veh::AGENCY_AFFILIATION_ID),
        m(
            "AgencyAffiliationName",
            Kind::Str,
            veh::AGENCY_AFFILIATION_NAME,
        ),
        m("CANFuelReportUtc", Kind::Str, veh::CAN_FUEL_REPORT_UTC),
        m(
            "CameraType",
            Kind::Enum(CAMERA_TYPE.entries),
            veh::CAMERA_TYPE,
        ),
        m("CustomerGroupId", Kind::Str, veh::CUSTOMER_GROUP_ID),
        m("CustomerGroupName", Kind::Str, veh::CUSTOMER_GROUP_NAME),
        m("ExternalInterfaceId", Kind::Str, veh::EXTERNAL_INTERFACE_ID),
        m(
            "ExternalInterfaces",
            Kind::List(&EXTERNAL_INTERFACE),
            veh::EXTERNAL_INTERFACES,
        ),
        m("IdWS", Kind::Num, veh::ID_WS),
        m("Imei", Kind::Str, veh::IMEI),
        m(
            "InitialEntryIntoService",
            Kind::Str,
            veh::INITIAL_ENTRY_INTO_SERVICE,
        ),
        m("JobActivity", Kind::Str, veh::JOB_ACTIVITY),
        m("KmEndOfLease", Kind::Num, veh::KM_END_OF_LEASE),
        m("KmStartOfLease", Kind::Num, veh::KM_START_OF_LEASE),
        m("Milestone", Kind::Num, veh::MILESTONE),
        m(
            "MilestoneAtAssignment",
            Kind::Num,
            veh::MILESTONE_AT_ASSIGNMENT,
        ),
        m("MobileUnitId", Kind::Str, veh::MOBILE_UNIT_ID),
        m("MobileUnitName", Kind::Str, veh::MOBILE_UNIT_NAME),
        m("NoGeoloc", Kind::Bool, veh::NO_GEOLOC),
        m("Renting", Kind::Bool, veh::RENTING),
        m("ReservoirVolume", Kind::Num, veh::RESERVOIR_VOLUME),
        m("TachySpeedLimit", Kind::Num, veh::TACHY_SPEED_LIMIT),
        m(
            "TheoreticalConsumption",
            Kind::Num,
            veh::THEORETICAL_CONSUMPTION,
        ),
        m("Tolerance", Kind::Num, veh::TOLERANCE),
        m("TotalFuelUsed", Kind::Num, veh::TOTAL_FUEL_USED),
        m("UtcEndOfLease", Kind::Str, veh::UTC_END_OF_LEASE),
        m("UtcMileageReport", Kind::Str, veh::UTC_MILEAGE_REPORT),
        m("UtcStartOfLease", Kind::Str, veh::UTC_START_OF_LEASE),
        m("VIN", Kind::Str, veh::VIN),
        m(
            "VehicleState",
            Kind::Enum(STATE.entries),
            veh::VEHICLE_STATE,
        ),
    ],
    out: stream_out::VEHICLE,
    slots: veh::SLOTS,
    xml: Some((DTO_NS, "VehicleLightDto")),
};

pub static EXTERNAL_INTERFACE: Shape = Shape {
    members: &[
        m("CustomerId", Kind::Str, ext::CUSTOMER_ID),
        m("Id", Kind::Str, ext::ID),
        m("Name", Kind::Str, ext::NAME),
    ],
    out: stream_out::EXTERNAL_INTERFACE,
    slots: ext::SLOTS,
    xml: Some((EXT_NS, "ExternalInterfaceHeaderDto")),
};

static DOC: Doc = Doc {
    namespaces: &[NS_GROUP, NS_DTO, NS_EXT, NS_XSI],
    xsi: XSI_NS,
    root: "CustomerGroupDto",
    shape: &GROUP,
};

/// An XML `CustomerGroupDto` answer as the unified group's JSON and the
/// paths of the members it skipped; `None` when the typed path must read
/// it.
pub fn group(body: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    xml::document(body, &DOC)
}

#[cfg(test)]
mod tests {
    use super::super::xml_members;
    use super::*;

    fn names(s: &Shape) -> Vec<&'static str> {
        s.members.iter().map(|m| m.name).collect()
    }

    fn typed<T>(t: &[xml_members::Member<T>]) -> Vec<&'static str> {
        t.iter().map(|m| m.name).collect()
    }

    #[test]
    fn the_members_are_the_typed_readers() {
        assert_eq!(names(&GROUP), typed(super::super::xml::GROUP));
        assert_eq!(names(&VEHICLE), typed(super::super::xml_vehicle::VEHICLE));
        assert_eq!(
            names(&EXTERNAL_INTERFACE),
            typed(super::super::xml_vehicle::EXTERNAL_INTERFACE)
        );
    }
}
