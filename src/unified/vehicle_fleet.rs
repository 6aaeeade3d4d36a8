//! Parts of the unified [`Vehicle`](super::Vehicle) that only fleet-admin
//! has: devices, position and the `VehicleStatus` block.

use serde::{Deserialize, Serialize};

use super::{Field, Num, Timestamp};

/// A telematics device fitted to a vehicle (fleet-admin `Devices[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleDevice {
    /// `ID`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Num>,
    /// `SerialNumber`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub serial_number: Field<String>,
    /// `LastDeviceSync`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_sync_at: Field<Timestamp>,
}

/// Last known position (fleet-admin `Latitude`, `Longitude`,
/// `LastPositionUpdate`). Absent on a vehicle when all three are absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// `Latitude`, degrees, exactly as sent.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub latitude: Field<Num>,
    /// `Longitude`, degrees, exactly as sent.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub longitude: Field<Num>,
    /// `LastPositionUpdate`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated_at: Field<Timestamp>,
}

/// Fleet-admin `VehicleStatus`: each member is the vendor's name camelCased.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleStatus {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_end: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_max_start: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_reservation_min_start: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_device_sync: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_maintenance_end: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_maintenance_start: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_motion: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_position_update: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_trip_end: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_trip_start: Field<Timestamp>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_level_pct: Field<Num>,
    /// Service battery voltage (`ServiceBattery`).
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
    /// Low EV battery (`IsLowEVB`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
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
