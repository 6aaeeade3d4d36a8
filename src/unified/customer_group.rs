//! The unified customer group (Vehizen `CustomerGroupDto`).

use serde::{Deserialize, Serialize};

use super::{Field, Guid, Vehicle};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerGroup {
    /// Group id (`Id`); null asks the vendor to create one.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<Guid>,
    /// Owning customer (`CustomerId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub customer_id: Field<Guid>,
    /// Group name (`Name`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Eco-driving profile (`ProfilEcoDriveId`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub eco_drive_profile_id: Field<Guid>,
    /// Vehicles of the group (`Vehicles`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub vehicles: Field<Vec<Vehicle>>,
}
