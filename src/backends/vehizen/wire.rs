//! Vehizen wire types, member for member as the vendor sends them.
//!
//! Every member is a [`Field`], so a member that was absent stays absent and
//! one that was null stays null. Ids and timestamps are kept as the vendor's
//! text (unchecked: the gateway passes on what the vendor said); enums hold a
//! name, or a code with no known name (see [`super::enums`]). Struct member
//! order is the JSON order of the vendor samples; the XML order lives in
//! `xml.rs`.

use serde::{Deserialize, Serialize};

use crate::unified::{EnumValue, Field, Num};

/// `Vehizen.Domain.Dto.CustomerGroup.CustomerGroupDto`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerGroupDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub profil_eco_drive_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicles: Field<Vec<VehicleLightDto>>,
}

/// `Vehizen.Domain.Dto.VehicleLightDto` (JSON order: derived members first,
/// as Json.NET writes them). `FullName` and `Utility` exist in JSON only.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VehicleLightDto {
    #[serde(rename = "IdWS")]
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id_ws: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub agency_affiliation_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub agency_affiliation_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_group_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_group_name: Field<String>,
    #[serde(rename = "VIN")]
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vin: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_interface_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub initial_entry_into_service: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_interfaces: Field<Vec<ExternalInterfaceHeaderDto>>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub job_activity: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub renting: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub utc_end_of_lease: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub utc_start_of_lease: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub km_end_of_lease: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub km_start_of_lease: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub theoretical_consumption: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reservoir_volume: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tolerance: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mobile_unit_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub mobile_unit_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub imei: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub total_fuel_used: Field<Num>,
    #[serde(rename = "CANFuelReportUtc")]
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub can_fuel_report_utc: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub milestone: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub utc_mileage_report: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub milestone_at_assignment: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tachy_speed_limit: Field<Num>,
    #[serde(
        default,
        skip_serializing_if = "Field::is_absent",
        with = "super::enums::json::camera_type"
    )]
    pub camera_type: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub no_geoloc: Field<bool>,
    #[serde(
        default,
        skip_serializing_if = "Field::is_absent",
        with = "super::enums::json::state"
    )]
    pub vehicle_state: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub licence_plate: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicle_type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub brand: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    #[serde(
        default,
        skip_serializing_if = "Field::is_absent",
        with = "super::enums::json::state"
    )]
    pub state: Field<EnumValue>,
    #[serde(
        default,
        skip_serializing_if = "Field::is_absent",
        with = "super::enums::json::malfunction_level"
    )]
    pub malfunction_level: Field<EnumValue>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub date_utc_change_malfunction_level: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub has_malfunction_history: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_vehicle_call_for_maintenance: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub full_name: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub utility: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_type_id: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub fuel_type_id_synthesis: Field<Num>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_fuel_type_conflict: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_active: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub compatible_download: Field<bool>,
}

/// `Vehizen.Domain.Dto.ExternalInterface.ExternalInterfaceHeaderDto`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExternalInterfaceHeaderDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
}
