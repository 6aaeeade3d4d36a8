//! Fleet-admin wire types, member for member as the vendor page shows them
//! (PascalCase JSON). Guids and dates are kept as the vendor's text; numbers
//! keep their kind ([`Num`]); `Labels` stays a string here (see `labels.rs`).

use crate::unified::{EnumValue, Field, Num};
use serde::{Deserialize, Serialize};

/// `VehicleCategory`: tree nodes, leaves, a single category, and (as the
/// assumed shape of `CategoryDescription`) a vehicle's `CategoryTree`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VehicleCategoryDto {
    #[serde(rename = "ID", default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(rename = "ParentID", default, skip_serializing_if = "Field::is_absent")]
    pub parent_id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub labels: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub children: Field<Vec<VehicleCategoryDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub guid: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub parent_guid: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub originator: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub deletion_date: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created_date: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub manufacturer: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub year: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub passenger_seats: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_thumbnail: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_root: Field<bool>,
}

/// The body of `POST /v1/vehicle-categories`: only the members the page
/// lists for it. `ID` 0 (or absent) creates.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CategoryEditDto {
    #[serde(rename = "ID", default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(rename = "ParentID", default, skip_serializing_if = "Field::is_absent")]
    pub parent_id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub labels: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub manufacturer: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub year: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub passenger_seats: Field<Num>,
}

/// The answer of `GET /v1/vehicle-categories/{id}/images`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CategoryImagesDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_thumbnail: Field<String>,
}

/// The body of `POST .../{id}/image` and `.../thumbnail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageUploadDto {
    pub base64_string: String,
}

/// A positive (`{"Success": true}`) or negative (`{"Success": false,
/// "ErrorMessage": "err_..."}`) response. Other members are ignored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerdictDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub success: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub error_message: Field<String>,
    /// Not documented: read when a positive answer to a create carries the
    /// new id.
    #[serde(rename = "ID", default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
}

/// A device of a vehicle (`Devices[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceDto {
    #[serde(rename = "ID", default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub serial_number: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_device_sync: Field<String>,
}

/// `VehicleStatus`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VehicleStatusDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_end: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_max_start: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_min_start: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_device_sync: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_maintenance_end: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_maintenance_start: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_motion: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_position_update: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_trip_end: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_trip_start: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_level_pct: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub service_battery: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_network_signal_strength_pct: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub admin_operative_status: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub system_operative_status: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_low_fuel: Field<bool>,
    #[serde(rename = "IsLowEVB", default, skip_serializing_if = "Field::is_absent")]
    pub is_low_evb: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_lost_contact: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_position_lost: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_reserved: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_on_trip: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_on_trip_and_moving: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_without_trips_for_long: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_in_maintenance: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_internet_weak: Field<bool>,
}

/// A vehicle of `list-vehicles` / `list-descendants-vehicles` (the union of
/// both samples: the garage members appear in the second only).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VehicleDto {
    #[serde(rename = "ID", default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub license_plate: Field<String>,
    #[serde(rename = "VIN", default, skip_serializing_if = "Field::is_absent")]
    pub vin: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub sticker: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_set_operative_by: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_operative: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub admin_operative_status: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub system_operative_status: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub system_operative_reason: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub overridden_system_operative_status: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub forced_operative_by: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub notes: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub category_labels: Field<String>,
    #[serde(
        rename = "CategoryID",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub category_id: Field<i64>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub category_tree: Field<Box<VehicleCategoryDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub devices: Field<Vec<DeviceDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub nominal_garage: Field<String>,
    #[serde(
        rename = "NominalGarageID",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub nominal_garage_id: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub recovering_garage: Field<String>,
    #[serde(
        rename = "RecoveringGarageID",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub recovering_garage_id: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub latitude: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub longitude: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_position_update: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub groups: Field<Vec<String>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_trip_guid: Field<String>,
    #[serde(rename = "DeviceID", default, skip_serializing_if = "Field::is_absent")]
    pub device_id: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_device_sync: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_network_signal_strength_pct: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub engine_type: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_tank_capacity: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_level_pct: Field<Num>,
    #[serde(
        rename = "EVBLevelPct",
        default,
        skip_serializing_if = "Field::is_absent"
    )]
    pub evb_level_pct: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub odometer_km: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_odometer_reading: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_damaged: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub status: Field<VehicleStatusDto>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub internal_cleaning_status: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_cleaning_status: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ignition_voltage_level: Field<Num>,
}
