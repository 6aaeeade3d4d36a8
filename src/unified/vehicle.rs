//! The unified vehicle, shared by every vendor that has vehicles.
//!
//! Members are grouped by meaning; each says which vendor member it holds.
//! Every member is a [`Field`] so absent and null survive a round trip.

use serde::{Deserialize, Serialize};

use super::{
    EnumValue, Field, Guid, Labels, Num, NumOrText, Position, Timestamp, VehicleCategory,
    VehicleDevice, VehicleId, VehicleStatus,
};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vehicle {
    // Identity.
    /// Vehicle id: a string (Vehizen `VehicleId`, a GUID; department
    /// `vehicleUuid`, any text) or an integer (fleet-admin `ID`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<VehicleId>,
    /// Vehizen's numeric web-service id (`IdWS`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id_ws: Field<Num>,
    /// Vehicle identification number (Vehizen `VIN`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vin: Field<String>,
    /// Registration plate (Vehizen `LicencePlate`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub license_plate: Field<String>,
    /// Manufacturer (Vehizen `Brand`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub make: Field<String>,
    /// Model (Vehizen `Model`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    /// Display name (Vehizen `Name`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Name with plate, computed by Vehizen (`FullName`, JSON only).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub full_name: Field<String>,
    /// Vehicle type (Vehizen `VehicleType`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub r#type: Field<String>,
    /// Utility class, e.g. `Porteur` (Vehizen `Utility`, JSON only).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub utility: Field<String>,
    /// Owning customer (Vehizen `CustomerId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<Guid>,
    // Grouping.
    /// Customer group (Vehizen `CustomerGroupId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_group_id: Field<Guid>,
    /// Customer group name (Vehizen `CustomerGroupName`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_group_name: Field<String>,
    /// Agency (Vehizen `AgencyAffiliationId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub agency_affiliation_id: Field<Guid>,
    /// Agency name (Vehizen `AgencyAffiliationName`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub agency_affiliation_name: Field<String>,
    // Mileage.
    /// Last odometer reading (Vehizen `Milestone`, `UtcMileageReport`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub odometer: Field<Odometer>,
    /// Odometer when assigned, km (Vehizen `MilestoneAtAssignment`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub odometer_at_assignment_km: Field<Num>,
    // Status.
    /// Whether the vehicle is active (Vehizen `IsActive`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_active: Field<bool>,
    /// State, e.g. `Active` (Vehizen `State`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub state: Field<EnumValue>,
    /// Vehicle state, e.g. `Active` (Vehizen `VehicleState`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_state: Field<EnumValue>,
    /// Malfunction level, e.g. `Null` (Vehizen `MalfunctionLevel`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub malfunction_level: Field<EnumValue>,
    /// When the malfunction level last changed (Vehizen `DateUtcChangeMalfunctionLevel`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub malfunction_level_changed_at: Field<Timestamp>,
    /// Vehizen `HasMalfunctionHistory`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub has_malfunction_history: Field<bool>,
    /// Called in for maintenance (Vehizen `IsVehicleCallForMaintenance`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_called_for_maintenance: Field<bool>,
    // Service and lease.
    /// First registration (Vehizen `InitialEntryIntoService`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub initial_entry_into_service: Field<Timestamp>,
    /// Job / activity (Vehizen `JobActivity`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub job_activity: Field<String>,
    /// Whether the vehicle is rented (Vehizen `Renting`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub renting: Field<bool>,
    /// Lease start (Vehizen `UtcStartOfLease`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lease_start_at: Field<Timestamp>,
    /// Lease end (Vehizen `UtcEndOfLease`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lease_end_at: Field<Timestamp>,
    /// Odometer at lease start, km (Vehizen `KmStartOfLease`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lease_start_km: Field<Num>,
    /// Odometer allowed at lease end, km (Vehizen `KmEndOfLease`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub lease_end_km: Field<Num>,
    // Fuel.
    /// Fuel name (Vehizen `FuelName`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_name: Field<String>,
    /// Fuel type (Vehizen `FuelTypeId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_type_id: Field<Num>,
    /// Fuel type from synthesis (Vehizen `FuelTypeIdSynthesis`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_type_id_synthesis: Field<Num>,
    /// The two fuel types disagree (Vehizen `IsFuelTypeConflict`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_fuel_type_conflict: Field<bool>,
    /// Theoretical consumption (Vehizen `TheoreticalConsumption`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub theoretical_consumption: Field<Num>,
    /// Tank volume (Vehizen `ReservoirVolume`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reservoir_volume: Field<Num>,
    /// Consumption tolerance (Vehizen `Tolerance`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tolerance: Field<Num>,
    /// Total fuel used, from CAN (Vehizen `TotalFuelUsed`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub total_fuel_used: Field<Num>,
    /// When CAN last reported fuel (Vehizen `CANFuelReportUtc`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub can_fuel_reported_at: Field<Timestamp>,
    // Telematics.
    /// On-board unit (Vehizen `MobileUnitId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mobile_unit_id: Field<Guid>,
    /// On-board unit name (Vehizen `MobileUnitName`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mobile_unit_name: Field<String>,
    /// On-board unit IMEI (Vehizen `Imei`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub imei: Field<String>,
    /// Main external interface (Vehizen `ExternalInterfaceId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_interface_id: Field<Guid>,
    /// External interfaces (Vehizen `ExternalInterfaces`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_interfaces: Field<Vec<ExternalInterface>>,
    /// Tachograph download supported (Vehizen `CompatibleDownload`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub compatible_download: Field<bool>,
    /// Tachograph speed limit (Vehizen `TachySpeedLimit`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tachy_speed_limit: Field<Num>,
    /// Camera type, e.g. `WITHOUT_CAMERA` (Vehizen `CameraType`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub camera_type: Field<EnumValue>,
    /// Geolocation disabled (Vehizen `NoGeoloc`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub no_geoloc: Field<bool>,
    // Department customer service (`vehicles[]` of `updateCustomer`).
    // Shared members it also fills: `id` (`vehicleUuid`), `vin`,
    // `licensePlate`, `make` (`vehicleMake`), `model` (`vehicleModel`),
    // `odometer.km` (`estimatedMileage`, a string at the vendor).
    /// Model year (department `vehicleYear`, a string at the vendor): a
    /// number, or the vendor's text verbatim when it is not a number.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub year: Field<NumOrText>,
    /// Trim level (department `vehicleTrim`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub trim: Field<String>,
    /// Colour (department `color`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub color: Field<String>,
    /// Engine (department `vehicleEngine`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub engine: Field<String>,
    /// The caller's own key for the vehicle (department `vehicleKey`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_key: Field<String>,
    /// Department `estimatedMileage` when it is not a number, verbatim
    /// (a number goes to `odometer.km`). Sent only when `odometer.km` is
    /// not given.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub odometer_text: Field<String>,
    /// Department-only `isMatching`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_matching: Field<bool>,
    /// Department-only `isValid`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_valid: Field<bool>,
    // End of the department block.

    // ---- fleet-admin (vehicle-admin API `list-vehicles`) members ----
    // `id` (`ID`), `vin` (`VIN`), `licensePlate` (`LicensePlate`) and
    // `odometer` (`OdometerKm`, `LastOdometerReading`) are the shared ones
    // above; everything below is fleet-admin only. Keep this block last.
    /// Fleet sticker (fleet-admin `Sticker`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub sticker: Field<String>,
    /// Who last set the operative flag (fleet-admin `LastSetOperativeBy`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_set_operative_by: Field<String>,
    /// Fleet-admin `IsOperative`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_operative: Field<bool>,
    /// Fleet-admin `AdminOperativeStatus`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub admin_operative_status: Field<bool>,
    /// Fleet-admin `SystemOperativeStatus`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub system_operative_status: Field<bool>,
    /// Fleet-admin `SystemOperativeReason`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub system_operative_reason: Field<String>,
    /// Fleet-admin `OverriddenSystemOperativeStatus`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub overridden_system_operative_status: Field<bool>,
    /// Fleet-admin `ForcedOperativeBy`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub forced_operative_by: Field<String>,
    /// Fleet-admin `Notes`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub notes: Field<String>,
    /// The category's labels (fleet-admin `CategoryLabels`, stringified JSON
    /// at the vendor, an object here).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub category_labels: Field<Labels>,
    /// Fleet-admin `CategoryID`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub category_id: Field<i64>,
    /// The category with its ancestors or descendants (fleet-admin
    /// `CategoryTree`, a `CategoryDescription`; its `Labels` parsed).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub category_tree: Field<Box<VehicleCategory>>,
    /// Fitted devices (fleet-admin `Devices`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub devices: Field<Vec<VehicleDevice>>,
    /// Fleet-admin `NominalGarage`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub nominal_garage: Field<String>,
    /// Fleet-admin `NominalGarageID`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub nominal_garage_id: Field<Num>,
    /// Fleet-admin `RecoveringGarage`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub recovering_garage: Field<String>,
    /// Fleet-admin `RecoveringGarageID`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub recovering_garage_id: Field<Num>,
    /// Last position (fleet-admin `Latitude`, `Longitude`,
    /// `LastPositionUpdate`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub position: Field<Position>,
    /// Vehicle groups (fleet-admin `Groups`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub groups: Field<Vec<Guid>>,
    /// Fleet-admin `CurrentTripGuid`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub current_trip_guid: Field<Guid>,
    /// Main device (fleet-admin `DeviceID`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub device_id: Field<Num>,
    /// Fleet-admin `LastDeviceSync`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub last_device_sync_at: Field<Timestamp>,
    /// Fleet-admin `LastNetworkSignalStrengthPct`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub network_signal_strength_pct: Field<Num>,
    /// Fleet-admin `EngineType` (`VehicleEngineTypes`; its names are not
    /// documented, so codes pass through as integers).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub engine_type: Field<EnumValue>,
    /// Fleet-admin `FuelTankCapacity`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_tank_capacity: Field<Num>,
    /// Fleet-admin `FuelLevelPct`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_level_pct: Field<Num>,
    /// EV battery level (fleet-admin `EVBLevelPct`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub evb_level_pct: Field<Num>,
    /// Fleet-admin `IsDamaged`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_damaged: Field<bool>,
    /// Fleet-admin `Status` (`VehicleStatus`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub status: Field<VehicleStatus>,
    /// Fleet-admin `InternalCleaningStatus` (`VehicleCleaningStatus` code).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub internal_cleaning_status: Field<EnumValue>,
    /// Fleet-admin `ExternalCleaningStatus` (`VehicleCleaningStatus` code).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_cleaning_status: Field<EnumValue>,
    /// Fleet-admin `IgnitionVoltageLevel`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub ignition_voltage_level: Field<Num>,
    // ---- end of fleet-admin members ----
}

/// An odometer reading. Absent on a vehicle when both members are absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Odometer {
    /// Distance in km (Vehizen `Milestone`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub km: Field<Num>,
    /// When it was read (Vehizen `UtcMileageReport`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reported_at: Field<Timestamp>,
}

/// An external interface a vehicle is linked to (Vehizen `ExternalInterfaceHeaderDto`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalInterface {
    /// Interface id (`Id`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Guid>,
    /// Customer (`CustomerId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<Guid>,
    /// Interface name (`Name`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
}
