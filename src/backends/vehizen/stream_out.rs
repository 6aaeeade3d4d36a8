//! The unified side of Vehizen's streaming reads (`stream_json.rs`,
//! `stream_xml.rs`): each unified member in `unified::CustomerGroup` /
//! `Vehicle` / `ExternalInterface` order, and the slot of the vendor member
//! it holds (`mapping.rs` says which).

use crate::backends::stream::shape::Out;

/// Slots of a `CustomerGroupDto`.
pub mod group {
    pub const ID: u8 = 0;
    pub const CUSTOMER_ID: u8 = 1;
    pub const NAME: u8 = 2;
    pub const PROFIL_ECO_DRIVE_ID: u8 = 3;
    pub const VEHICLES: u8 = 4;
    pub const SLOTS: usize = 5;
}

pub const GROUP: &[Out] = &[
    Out::One("id", group::ID),
    Out::One("customerId", group::CUSTOMER_ID),
    Out::One("name", group::NAME),
    Out::One("ecoDriveProfileId", group::PROFIL_ECO_DRIVE_ID),
    Out::One("vehicles", group::VEHICLES),
];

/// Slots of an `ExternalInterfaceHeaderDto`.
pub mod ext {
    pub const ID: u8 = 0;
    pub const CUSTOMER_ID: u8 = 1;
    pub const NAME: u8 = 2;
    pub const SLOTS: usize = 3;
}

pub const EXTERNAL_INTERFACE: &[Out] = &[
    Out::One("id", ext::ID),
    Out::One("customerId", ext::CUSTOMER_ID),
    Out::One("name", ext::NAME),
];

/// Slots of a `VehicleLightDto`, named after the vendor member.
pub mod veh {
    pub const VEHICLE_ID: u8 = 0;
    pub const ID_WS: u8 = 1;
    pub const VIN: u8 = 2;
    pub const LICENCE_PLATE: u8 = 3;
    pub const BRAND: u8 = 4;
    pub const MODEL: u8 = 5;
    pub const NAME: u8 = 6;
    pub const FULL_NAME: u8 = 7;
    pub const VEHICLE_TYPE: u8 = 8;
    pub const UTILITY: u8 = 9;
    pub const CUSTOMER_ID: u8 = 10;
    pub const CUSTOMER_GROUP_ID: u8 = 11;
    pub const CUSTOMER_GROUP_NAME: u8 = 12;
    pub const AGENCY_AFFILIATION_ID: u8 = 13;
    pub const AGENCY_AFFILIATION_NAME: u8 = 14;
    pub const MILESTONE: u8 = 15;
    pub const UTC_MILEAGE_REPORT: u8 = 16;
    pub const MILESTONE_AT_ASSIGNMENT: u8 = 17;
    pub const IS_ACTIVE: u8 = 18;
    pub const STATE: u8 = 19;
    pub const VEHICLE_STATE: u8 = 20;
    pub const MALFUNCTION_LEVEL: u8 = 21;
    pub const DATE_UTC_CHANGE_MALFUNCTION_LEVEL: u8 = 22;
    pub const HAS_MALFUNCTION_HISTORY: u8 = 23;
    pub const IS_VEHICLE_CALL_FOR_MAINTENANCE: u8 = 24;
    pub const INITIAL_ENTRY_INTO_SERVICE: u8 = 25;
    pub const JOB_ACTIVITY: u8 = 26;
    pub const RENTING: u8 = 27;
    pub const UTC_START_OF_LEASE: u8 = 28;
    pub const UTC_END_OF_LEASE: u8 = 29;
    pub const KM_START_OF_LEASE: u8 = 30;
    pub const KM_END_OF_LEASE: u8 = 31;
    pub const FUEL_NAME: u8 = 32;
    pub const FUEL_TYPE_ID: u8 = 33;
    pub const FUEL_TYPE_ID_SYNTHESIS: u8 = 34;
    pub const IS_FUEL_TYPE_CONFLICT: u8 = 35;
    pub const THEORETICAL_CONSUMPTION: u8 = 36;
    pub const RESERVOIR_VOLUME: u8 = 37;
    pub const TOLERANCE: u8 = 38;
    pub const TOTAL_FUEL_USED: u8 = 39;
    pub const CAN_FUEL_REPORT_UTC: u8 = 40;
    pub const MOBILE_UNIT_ID: u8 = 41;
    pub const MOBILE_UNIT_NAME: u8 = 42;
    pub const IMEI: u8 = 43;
    pub const EXTERNAL_INTERFACE_ID: u8 = 44;
    pub const EXTERNAL_INTERFACES: u8 = 45;
    pub const COMPATIBLE_DOWNLOAD: u8 = 46;
    pub const TACHY_SPEED_LIMIT: u8 = 47;
    pub const CAMERA_TYPE: u8 = 48;
    pub const NO_GEOLOC: u8 = 49;
    pub const SLOTS: usize = 50;
}

pub const VEHICLE: &[Out] = &[
    Out::One("id", veh::VEHICLE_ID),
    Out::One("idWs", veh::ID_WS),
    Out::One("vin", veh::VIN),
    Out::One("licensePlate", veh::LICENCE_PLATE),
    Out::One("make", veh::BRAND),
    Out::One("model", veh::MODEL),
    Out::One("name", veh::NAME),
    Out::One("fullName", veh::FULL_NAME),
    Out::One("type", veh::VEHICLE_TYPE),
    Out::One("utility", veh::UTILITY),
    Out::One("customerId", veh::CUSTOMER_ID),
    Out::One("customerGroupId", veh::CUSTOMER_GROUP_ID),
    Out::One("customerGroupName", veh::CUSTOMER_GROUP_NAME),
    Out::One("agencyAffiliationId", veh::AGENCY_AFFILIATION_ID),
    Out::One("agencyAffiliationName", veh::AGENCY_AFFILIATION_NAME),
    Out::Group(
        "odometer",
        &[
            ("km", veh::MILESTONE),
            ("reportedAt", veh::UTC_MILEAGE_REPORT),
        ],
    ),
    Out::One("odometerAtAssignmentKm", veh::MILESTONE_AT_ASSIGNMENT),
    Out::One("isActive", veh::IS_ACTIVE),
    Out::One("state", veh::STATE),
    Out::One("vehicleState", veh::VEHICLE_STATE),
    Out::One("malfunctionLevel", veh::MALFUNCTION_LEVEL),
    Out::One(
        "malfunctionLevelChangedAt",
        veh::DATE_UTC_CHANGE_MALFUNCTION_LEVEL,
    ),
    Out::One("hasMalfunctionHistory", veh::HAS_MALFUNCTION_HISTORY),
    Out::One(
        "isCalledForMaintenance",
        veh::IS_VEHICLE_CALL_FOR_MAINTENANCE,
    ),
    Out::One("initialEntryIntoService", veh::INITIAL_ENTRY_INTO_SERVICE),
    Out::One("jobActivity", veh::JOB_ACTIVITY),
    Out::One("renting", veh::RENTING),
    Out::One("leaseStartAt", veh::UTC_START_OF_LEASE),
    Out::One("leaseEndAt", veh::UTC_END_OF_LEASE),
    Out::One("leaseStartKm", veh::KM_START_OF_LEASE),
    Out::One("leaseEndKm", veh::KM_END_OF_LEASE),
    Out::One("fuelName", veh::FUEL_NAME),
    Out::One("fuelTypeId", veh::FUEL_TYPE_ID),
    Out::One("fuelTypeIdSynthesis", veh::FUEL_TYPE_ID_SYNTHESIS),
    Out::One("isFuelTypeConflict", veh::IS_FUEL_TYPE_CONFLICT),
    Out::One("theoreticalConsumption", veh::THEORETICAL_CONSUMPTION),
    Out::One("reservoirVolume", veh::RESERVOIR_VOLUME),
    Out::One("tolerance", veh::TOLERANCE),
    Out::One("totalFuelUsed", veh::TOTAL_FUEL_USED),
    Out::One("canFuelReportedAt", veh::CAN_FUEL_REPORT_UTC),
    Out::One("mobileUnitId", veh::MOBILE_UNIT_ID),
    Out::One("mobileUnitName", veh::MOBILE_UNIT_NAME),
    Out::One("imei", veh::IMEI),
    Out::One("externalInterfaceId", veh::EXTERNAL_INTERFACE_ID),
    Out::One("externalInterfaces", veh::EXTERNAL_INTERFACES),
    Out::One("compatibleDownload", veh::COMPATIBLE_DOWNLOAD),
    Out::One("tachySpeedLimit", veh::TACHY_SPEED_LIMIT),
    Out::One("cameraType", veh::CAMERA_TYPE),
    Out::One("noGeoloc", veh::NO_GEOLOC),
];
