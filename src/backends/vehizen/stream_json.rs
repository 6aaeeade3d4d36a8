//! Vehizen JSON, streamed: a `CustomerGroupDto` answer straight to the
//! unified group's JSON (see [`crate::backends::stream`]). Members are in
//! the order Json.NET writes them (`wire.rs`), which the reader tries
//! first.

use super::enums::{CAMERA_TYPE, MALFUNCTION_LEVEL, STATE};
use super::stream_out::{self, ext, group, veh};
use crate::backends::stream::json;
use crate::backends::stream::shape::{m, Kind, Shape};
use crate::backends::stream::unknown::Style;

pub static GROUP: Shape = Shape {
    members: &[
        m("Id", Kind::Str, group::ID),
        m("CustomerId", Kind::Str, group::CUSTOMER_ID),
        m("Name", Kind::Str, group::NAME),
        m("ProfilEcoDriveId", Kind::Str, group::PROFIL_ECO_DRIVE_ID),
        m("Vehicles", Kind::List(&VEHICLE), group::VEHICLES),
    ],
    out: stream_out::GROUP,
    slots: group::SLOTS,
    xml: None,
};

pub static VEHICLE: Shape = Shape {
    members: &[
        m("IdWS", Kind::Num, veh::ID_WS),
        m(
            "AgencyAffiliationName",
            Kind::Str,
            veh::AGENCY_AFFILIATION_NAME,
        ),
        m("AgencyAffiliationId", Kind::Str, veh::AGENCY_AFFILIATION_ID),
        m("CustomerGroupId", Kind::Str, veh::CUSTOMER_GROUP_ID),
        m("CustomerGroupName", Kind::Str, veh::CUSTOMER_GROUP_NAME),
        m("VIN", Kind::Str, veh::VIN),
        m("ExternalInterfaceId", Kind::Str, veh::EXTERNAL_INTERFACE_ID),
        m(
            "InitialEntryIntoService",
            Kind::Str,
            veh::INITIAL_ENTRY_INTO_SERVICE,
        ),
        m(
            "ExternalInterfaces",
            Kind::List(&EXTERNAL_INTERFACE),
            veh::EXTERNAL_INTERFACES,
        ),
        m("JobActivity", Kind::Str, veh::JOB_ACTIVITY),
        m("Renting", Kind::Bool, veh::RENTING),
        m("UtcEndOfLease", Kind::Str, veh::UTC_END_OF_LEASE),
        m("UtcStartOfLease", Kind::Str, veh::UTC_START_OF_LEASE),
        m("KmEndOfLease", Kind::Num, veh::KM_END_OF_LEASE),
        m("KmStartOfLease", Kind::Num, veh::KM_START_OF_LEASE),
        m(
            "TheoreticalConsumption",
            Kind::Num,
            veh::THEORETICAL_CONSUMPTION,
        ),
        m("ReservoirVolume", Kind::Num, veh::RESERVOIR_VOLUME),
        m("Tolerance", Kind::Num, veh::TOLERANCE),
        m("MobileUnitId", Kind::Str, veh::MOBILE_UNIT_ID),
        m("MobileUnitName", Kind::Str, veh::MOBILE_UNIT_NAME),
        m("Imei", Kind::Str, veh::IMEI),
        m("TotalFuelUsed", Kind::Num, veh::TOTAL_FUEL_USED),
        m("CANFuelReportUtc", Kind::Str, veh::CAN_FUEL_REPORT_UTC),
        m("Milestone", Kind::Num, veh::MILESTONE),
        m("UtcMileageReport", Kind::Str, veh::UTC_MILEAGE_REPORT),
        m(
            "MilestoneAtAssignment",
            Kind::Num,
            veh::MILESTONE_AT_ASSIGNMENT,
        ),
        m("TachySpeedLimit", Kind::Num, veh::TACHY_SPEED_LIMIT),
        m(
            "CameraType",
            Kind::Enum(CAMERA_TYPE.entries),
            veh::CAMERA_TYPE,
        ),
        m("NoGeoloc", Kind::Bool, veh::NO_GEOLOC),
        m(
            "VehicleState",
            Kind::Enum(STATE.entries),
            veh::VEHICLE_STATE,
        ),
        m("VehicleId", Kind::Str, veh::VEHICLE_ID),
        m("CustomerId", Kind::Str, veh::CUSTOMER_ID),
        m("LicencePlate", Kind::Str, veh::LICENCE_PLATE),
        m("Name", Kind::Str, veh::NAME),
        m("VehicleType", Kind::Str, veh::VEHICLE_TYPE),
        m("Brand", Kind::Str, veh::BRAND),
        m("Model", Kind::Str, veh::MODEL),
        m("State", Kind::Enum(STATE.entries), veh::STATE),
        m(
            "MalfunctionLevel",
            Kind::Enum(MALFUNCTION_LEVEL.entries),
            veh::MALFUNCTION_LEVEL,
        ),
        m(
            "DateUtcChangeMalfunctionLevel",
            Kind::Str,
            veh::DATE_UTC_CHANGE_MALFUNCTION_LEVEL,
        ),
        m(
            "HasMalfunctionHistory",
            Kind::Bool,
            veh::HAS_MALFUNCTION_HISTORY,
        ),
        m(
            "IsVehicleCallForMaintenance",
            Kind::Bool,
            veh::IS_VEHICLE_CALL_FOR_MAINTENANCE,
        ),
        m("FuelName", Kind::Str, veh::FUEL_NAME),
        m("FullName", Kind::Str, veh::FULL_NAME),
        m("Utility", Kind::Str, veh::UTILITY),
        m("FuelTypeId", Kind::Num, veh::FUEL_TYPE_ID),
        m(
            "FuelTypeIdSynthesis",
            Kind::Num,
            veh::FUEL_TYPE_ID_SYNTHESIS,
        ),
        m("IsFuelTypeConflict", Kind::Bool, veh::IS_FUEL_TYPE_CONFLICT),
        m("IsActive", Kind::Bool, veh::IS_ACTIVE),
        m("CompatibleDownload", Kind::Bool, veh::COMPATIBLE_DOWNLOAD),
    ],
    out: stream_out::VEHICLE,
    slots: veh::SLOTS,
    xml: None,
};

pub static EXTERNAL_INTERFACE: Shape = Shape {
    members: &[
        m("Id", Kind::Str, ext::ID),
        m("CustomerId", Kind::Str, ext::CUSTOMER_ID),
        m("Name", Kind::Str, ext::NAME),
    ],
    out: stream_out::EXTERNAL_INTERFACE,
    slots: ext::SLOTS,
    xml: None,
};

/// A JSON `CustomerGroupDto` answer as the unified group's JSON and the
/// paths of the members it skipped; `None` when the typed path must read
/// it.
pub fn group(body: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    json::object(body, &GROUP, Style::Plain)
}
