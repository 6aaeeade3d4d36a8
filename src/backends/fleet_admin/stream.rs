//! Fleet-admin reads, streamed: the tree, one category, the leaves and the
//! vehicle lists straight to unified JSON (see [`crate::backends::stream`]),
//! `Labels` and `CategoryLabels` unstringified on the way. Member order is
//! `wire.rs`'s (the vendor samples'), which the reader tries first; the
//! unified order and the folded members are `mapping.rs`'s.

use super::verdict;
use crate::backends::stream::shape::{m, Kind, Out, Shape};
use crate::backends::stream::unknown::Style;
use crate::backends::stream::{self, json, CategoryRead, DataJson};
use crate::backends::{Reply, VehicleCategories, VendorFailure};
use crate::outbound::VendorResponse;
use crate::unified::Warning;

/// `VehicleCategory` (tree nodes, leaves, one category, a vehicle's
/// `CategoryTree`).
pub static CATEGORY: Shape = Shape {
    members: &[
        m("ID", Kind::Int, 0),
        m("ParentID", Kind::Int, 1),
        m("Labels", Kind::Labels, 2),
        m("Children", Kind::List(&CATEGORY), 3),
        m("Guid", Kind::Str, 4),
        m("ParentGuid", Kind::Str, 5),
        m("Originator", Kind::Str, 6),
        m("DeletionDate", Kind::Str, 14),
        m("CreatedDate", Kind::Str, 13),
        m("Manufacturer", Kind::Str, 7),
        m("Model", Kind::Str, 8),
        m("Year", Kind::Num, 9),
        m("PassengerSeats", Kind::Num, 10),
        m("Image", Kind::Str, 11),
        m("ImageThumbnail", Kind::Str, 12),
        m("IsRoot", Kind::Bool, 15),
    ],
    out: &[
        Out::One("id", 0),
        Out::One("parentId", 1),
        Out::One("labels", 2),
        Out::One("children", 3),
        Out::One("guid", 4),
        Out::One("parentGuid", 5),
        Out::One("originator", 6),
        Out::One("manufacturer", 7),
        Out::One("model", 8),
        Out::One("year", 9),
        Out::One("passengerSeats", 10),
        Out::One("image", 11),
        Out::One("imageThumbnail", 12),
        Out::One("createdAt", 13),
        Out::One("deletedAt", 14),
        Out::One("isRoot", 15),
    ],
    slots: 16,
    xml: None,
};

/// `Devices[]` of a vehicle.
static DEVICE: Shape = Shape {
    members: &[
        m("ID", Kind::Num, 0),
        m("SerialNumber", Kind::Str, 1),
        m("LastDeviceSync", Kind::Str, 2),
    ],
    out: &[
        Out::One("id", 0),
        Out::One("serialNumber", 1),
        Out::One("lastSyncAt", 2),
    ],
    slots: 3,
    xml: None,
};

/// `VehicleStatus`: the same members in the same order, camelCased.
static STATUS: Shape = Shape {
    members: &[
        m("CurrentReservationEnd", Kind::Str, 0),
        m("CurrentReservationMaxStart", Kind::Str, 1),
        m("CurrentReservationMinStart", Kind::Str, 2),
        m("LastDeviceSync", Kind::Str, 3),
        m("LastMaintenanceEnd", Kind::Str, 4),
        m("LastMaintenanceStart", Kind::Str, 5),
        m("LastMotion", Kind::Str, 6),
        m("LastPositionUpdate", Kind::Str, 7),
        m("LastTripEnd", Kind::Str, 8),
        m("LastTripStart", Kind::Str, 9),
        m("FuelLevelPct", Kind::Num, 10),
        m("ServiceBattery", Kind::Num, 11),
        m("LastNetworkSignalStrengthPct", Kind::Num, 12),
        m("AdminOperativeStatus", Kind::Bool, 13),
        m("SystemOperativeStatus", Kind::Bool, 14),
        m("IsLowFuel", Kind::Bool, 15),
        m("IsLowEVB", Kind::Bool, 16),
        m("IsLostContact", Kind::Bool, 17),
        m("IsPositionLost", Kind::Bool, 18),
        m("IsReserved", Kind::Bool, 19),
        m("IsOnTrip", Kind::Bool, 20),
        m("IsOnTripAndMoving", Kind::Bool, 21),
        m("IsWithoutTripsForLong", Kind::Bool, 22),
        m("IsInMaintenance", Kind::Bool, 23),
        m("IsInternetWeak", Kind::Bool, 24),
    ],
    out: &[
        Out::One("currentReservationEnd", 0),
        Out::One("currentReservationMaxStart", 1),
        Out::One("currentReservationMinStart", 2),
        Out::One("lastDeviceSync", 3),
        Out::One("lastMaintenanceEnd", 4),
        Out::One("lastMaintenanceStart", 5),
        Out::One("lastMotion", 6),
        Out::One("lastPositionUpdate", 7),
        Out::One("lastTripEnd", 8),
        Out::One("lastTripStart", 9),
        Out::One("fuelLevelPct", 10),
        Out::One("serviceBattery", 11),
        Out::One("lastNetworkSignalStrengthPct", 12),
        Out::One("adminOperativeStatus", 13),
        Out::One("systemOperativeStatus", 14),
        Out::One("isLowFuel", 15),
        Out::One("isLowEvb", 16),
        Out::One("isLostContact", 17),
        Out::One("isPositionLost", 18),
        Out::One("isReserved", 19),
        Out::One("isOnTrip", 20),
        Out::One("isOnTripAndMoving", 21),
        Out::One("isWithoutTripsForLong", 22),
        Out::One("isInMaintenance", 23),
        Out::One("isInternetWeak", 24),
    ],
    slots: 25,
    xml: None,
};

/// Slots of a `VehicleDto`, in unified order.
mod veh {
    pub const ID: u8 = 0;
    pub const VIN: u8 = 1;
    pub const LICENSE_PLATE: u8 = 2;
    pub const ODOMETER_KM: u8 = 3;
    pub const LAST_ODOMETER_READING: u8 = 4;
    pub const STICKER: u8 = 5;
    pub const LAST_SET_OPERATIVE_BY: u8 = 6;
    pub const IS_OPERATIVE: u8 = 7;
    pub const ADMIN_OPERATIVE_STATUS: u8 = 8;
    pub const SYSTEM_OPERATIVE_STATUS: u8 = 9;
    pub const SYSTEM_OPERATIVE_REASON: u8 = 10;
    pub const OVERRIDDEN_SYSTEM_OPERATIVE_STATUS: u8 = 11;
    pub const FORCED_OPERATIVE_BY: u8 = 12;
    pub const NOTES: u8 = 13;
    pub const CATEGORY_LABELS: u8 = 14;
    pub const CATEGORY_ID: u8 = 15;
    pub const CATEGORY_TREE: u8 = 16;
    pub const DEVICES: u8 = 17;
    pub const NOMINAL_GARAGE: u8 = 18;
    pub const NOMINAL_GARAGE_ID: u8 = 19;
    pub const RECOVERING_GARAGE: u8 = 20;
    pub const RECOVERING_GARAGE_ID: u8 = 21;
    pub const LATITUDE: u8 = 22;
    pub const LONGITUDE: u8 = 23;
    pub const LAST_POSITION_UPDATE: u8 = 24;
    pub const GROUPS: u8 = 25;
    pub const CURRENT_TRIP_GUID: u8 = 26;
    pub const DEVICE_ID: u8 = 27;
    pub const LAST_DEVICE_SYNC: u8 = 28;
    pub const LAST_NETWORK_SIGNAL_STRENGTH_PCT: u8 = 29;
    pub const ENGINE_TYPE: u8 = 30;
    pub const FUEL_TANK_CAPACITY: u8 = 31;
    pub const FUEL_LEVEL_PCT: u8 = 32;
    pub const EVB_LEVEL_PCT: u8 = 33;
    pub const IS_DAMAGED: u8 = 34;
    pub const STATUS: u8 = 35;
    pub const INTERNAL_CLEANING_STATUS: u8 = 36;
    pub const EXTERNAL_CLEANING_STATUS: u8 = 37;
    pub const IGNITION_VOLTAGE_LEVEL: u8 = 38;
    pub const SLOTS: usize = 39;
}

/// Fleet-admin's enums have no documented names: codes pass as they are.
const NO_NAMES: &[(i64, &str)] = &[];

/// A vehicle of `list-vehicles` / `list-descendants-vehicles`.
pub static VEHICLE: Shape = Shape {
    members: &[
        m("ID", Kind::Int, veh::ID),
        m("LicensePlate", Kind::Str, veh::LICENSE_PLATE),
        m("VIN", Kind::Str, veh::VIN),
        m("Sticker", Kind::Str, veh::STICKER),
        m("LastSetOperativeBy", Kind::Str, veh::LAST_SET_OPERATIVE_BY),
        m("IsOperative", Kind::Bool, veh::IS_OPERATIVE),
        m(
            "AdminOperativeStatus",
            Kind::Bool,
            veh::ADMIN_OPERATIVE_STATUS,
        ),
        m(
            "SystemOperativeStatus",
            Kind::Bool,
            veh::SYSTEM_OPERATIVE_STATUS,
        ),
        m(
            "SystemOperativeReason",
            Kind::Str,
            veh::SYSTEM_OPERATIVE_REASON,
        ),
        m(
            "OverriddenSystemOperativeStatus",
            Kind::Bool,
            veh::OVERRIDDEN_SYSTEM_OPERATIVE_STATUS,
        ),
        m("ForcedOperativeBy", Kind::Str, veh::FORCED_OPERATIVE_BY),
        m("Notes", Kind::Str, veh::NOTES),
        m("CategoryLabels", Kind::Labels, veh::CATEGORY_LABELS),
        m("CategoryID", Kind::Int, veh::CATEGORY_ID),
        m("CategoryTree", Kind::Object(&CATEGORY), veh::CATEGORY_TREE),
        m("Devices", Kind::List(&DEVICE), veh::DEVICES),
        m("NominalGarage", Kind::Str, veh::NOMINAL_GARAGE),
        m("NominalGarageID", Kind::Num, veh::NOMINAL_GARAGE_ID),
        m("RecoveringGarage", Kind::Str, veh::RECOVERING_GARAGE),
        m("RecoveringGarageID", Kind::Num, veh::RECOVERING_GARAGE_ID),
        m("Latitude", Kind::Num, veh::LATITUDE),
        m("Longitude", Kind::Num, veh::LONGITUDE),
        m("LastPositionUpdate", Kind::Str, veh::LAST_POSITION_UPDATE),
        m("Groups", Kind::StrList, veh::GROUPS),
        m("CurrentTripGuid", Kind::Str, veh::CURRENT_TRIP_GUID),
        m("DeviceID", Kind::Num, veh::DEVICE_ID),
        m("LastDeviceSync", Kind::Str, veh::LAST_DEVICE_SYNC),
        m(
            "LastNetworkSignalStrengthPct",
            Kind::Num,
            veh::LAST_NETWORK_SIGNAL_STRENGTH_PCT,
        ),
        m("EngineType", Kind::Enum(NO_NAMES), veh::ENGINE_TYPE),
        m("FuelTankCapacity", Kind::Num, veh::FUEL_TANK_CAPACITY),
        m("FuelLevelPct", Kind::Num, veh::FUEL_LEVEL_PCT),
        m("EVBLevelPct", Kind::Num, veh::EVB_LEVEL_PCT),
        m("OdometerKm", Kind::Num, veh::ODOMETER_KM),
        m("LastOdometerReading", Kind::Str, veh::LAST_ODOMETER_READING),
        m("IsDamaged", Kind::Bool, veh::IS_DAMAGED),
        m("Status", Kind::Object(&STATUS), veh::STATUS),
        m(
            "InternalCleaningStatus",
            Kind::Enum(NO_NAMES),
            veh::INTERNAL_CLEANING_STATUS,
        ),
        m(
            "ExternalCleaningStatus",
            Kind::Enum(NO_NAMES),
            veh::EXTERNAL_CLEANING_STATUS,
        ),
        m(
            "IgnitionVoltageLevel",
            Kind::Num,
            veh::IGNITION_VOLTAGE_LEVEL,
        ),
    ],
    out: &[
        Out::One("id", veh::ID),
        Out::One("vin", veh::VIN),
        Out::One("licensePlate", veh::LICENSE_PLATE),
        Out::Group(
            "odometer",
            &[
                ("km", veh::ODOMETER_KM),
                ("reportedAt", veh::LAST_ODOMETER_READING),
            ],
        ),
        Out::One("sticker", veh::STICKER),
        Out::One("lastSetOperativeBy", veh::LAST_SET_OPERATIVE_BY),
        Out::One("isOperative", veh::IS_OPERATIVE),
        Out::One("adminOperativeStatus", veh::ADMIN_OPERATIVE_STATUS),
        Out::One("systemOperativeStatus", veh::SYSTEM_OPERATIVE_STATUS),
        Out::One("systemOperativeReason", veh::SYSTEM_OPERATIVE_REASON),
        Out::One(
            "overriddenSystemOperativeStatus",
            veh::OVERRIDDEN_SYSTEM_OPERATIVE_STATUS,
        ),
        Out::One("forcedOperativeBy", veh::FORCED_OPERATIVE_BY),
        Out::One("notes", veh::NOTES),
        Out::One("categoryLabels", veh::CATEGORY_LABELS),
        Out::One("categoryId", veh::CATEGORY_ID),
        Out::One("categoryTree", veh::CATEGORY_TREE),
        Out::One("devices", veh::DEVICES),
        Out::One("nominalGarage", veh::NOMINAL_GARAGE),
        Out::One("nominalGarageId", veh::NOMINAL_GARAGE_ID),
        Out::One("recoveringGarage", veh::RECOVERING_GARAGE),
        Out::One("recoveringGarageId", veh::RECOVERING_GARAGE_ID),
        Out::Group(
            "position",
            &[
                ("latitude", veh::LATITUDE),
                ("longitude", veh::LONGITUDE),
                ("updatedAt", veh::LAST_POSITION_UPDATE),
            ],
        ),
        Out::One("groups", veh::GROUPS),
        Out::One("currentTripGuid", veh::CURRENT_TRIP_GUID),
        Out::One("deviceId", veh::DEVICE_ID),
        Out::One("lastDeviceSyncAt", veh::LAST_DEVICE_SYNC),
        Out::One(
            "networkSignalStrengthPct",
            veh::LAST_NETWORK_SIGNAL_STRENGTH_PCT,
        ),
        Out::One("engineType", veh::ENGINE_TYPE),
        Out::One("fuelTankCapacity", veh::FUEL_TANK_CAPACITY),
        Out::One("fuelLevelPct", veh::FUEL_LEVEL_PCT),
        Out::One("evbLevelPct", veh::EVB_LEVEL_PCT),
        Out::One("isDamaged", veh::IS_DAMAGED),
        Out::One("status", veh::STATUS),
        Out::One("internalCleaningStatus", veh::INTERNAL_CLEANING_STATUS),
        Out::One("externalCleaningStatus", veh::EXTERNAL_CLEANING_STATUS),
        Out::One("ignitionVoltageLevel", veh::IGNITION_VOLTAGE_LEVEL),
    ],
    slots: veh::SLOTS,
    xml: None,
};

/// A read's answer body as unified JSON and the paths of the members it
/// skipped, or `None` when the typed path must read it.
pub fn read(read: CategoryRead, body: &[u8]) -> Option<(DataJson, Vec<String>)> {
    let style = Style::Serde;
    Some(match read {
        CategoryRead::One => {
            let (json, unknown) = json::object(body, &CATEGORY, style)?;
            (DataJson { json, page: None }, unknown)
        }
        CategoryRead::Tree => {
            let (list, unknown) = json::list(body, &CATEGORY, style)?;
            (
                DataJson {
                    json: list.json,
                    page: None,
                },
                unknown,
            )
        }
        CategoryRead::Leaves(page) => {
            let (list, unknown) = json::list(body, &CATEGORY, style)?;
            (list.page(page), unknown)
        }
        CategoryRead::Vehicles(page) => {
            let (list, unknown) = json::list(body, &VEHICLE, style)?;
            (list.page(page), unknown)
        }
    })
}

/// What the adapter answers for a read: a negative verdict or bad status
/// first (as the typed read), then the streamed body, else the typed read.
pub fn decode<C: VehicleCategories + ?Sized>(
    cats: &C,
    backend: &str,
    read_of: CategoryRead,
    resp: &VendorResponse,
) -> Result<Reply<DataJson>, VendorFailure> {
    if let Some(f) = verdict::failure(resp) {
        return Err(f);
    }
    match read(read_of, &resp.body) {
        Some((data, unknown)) => Ok(Reply {
            data,
            warnings: unknown
                .iter()
                .map(|m| Warning::vendor_member_unknown(backend, m))
                .collect(),
        }),
        None => stream::typed_category_read(cats, read_of, resp),
    }
}
