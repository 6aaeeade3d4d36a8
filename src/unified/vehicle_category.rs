//! The unified vehicle category (fleet-admin `VehicleCategory`).
//!
//! Names are fixed by the spec. Every member is a [`Field`] so absent, null
//! and a value all survive a round trip.

use serde::{Deserialize, Serialize};

use super::{Field, Guid, Labels, Num, Timestamp};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleCategory {
    /// Category id (`ID`); an integer.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// Parent category (`ParentID`); null for a root.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub parent_id: Field<i64>,
    /// Localized names, language code -> text (`Labels`, a stringified JSON
    /// object at the vendor).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub labels: Field<Labels>,
    /// Child categories (`Children`), in tree answers.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub children: Field<Vec<VehicleCategory>>,
    /// `Guid`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub guid: Field<Guid>,
    /// `ParentGuid`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub parent_guid: Field<Guid>,
    /// Who created the category (`Originator`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub originator: Field<Guid>,
    /// `Manufacturer`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub manufacturer: Field<String>,
    /// `Model`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    /// `Year`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub year: Field<Num>,
    /// `PassengerSeats`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub passenger_seats: Field<Num>,
    /// Main image, base64 (`Image`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image: Field<String>,
    /// Thumbnail, base64 (`ImageThumbnail`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_thumbnail: Field<String>,
    /// `CreatedDate`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created_at: Field<Timestamp>,
    /// Soft-deletion time (`DeletionDate`); null while the category lives.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub deleted_at: Field<Timestamp>,
    /// `IsRoot`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_root: Field<bool>,
}

/// A category's two images (`GET /v1/vehicle-categories/{id}/images`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryImages {
    /// Main image, base64 (`Image`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image: Field<String>,
    /// Thumbnail, base64 (`ImageThumbnail`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub image_thumbnail: Field<String>,
}
