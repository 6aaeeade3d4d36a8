//! Wire <-> unified, both directions, nothing dropped. Reading can fail only
//! on an unreadable `Labels` / `CategoryLabels` text.

use super::labels::{self, UnreadableLabels};
use super::wire::{
    CategoryEditDto, CategoryImagesDto, DeviceDto, VehicleCategoryDto, VehicleDto, VehicleStatusDto,
};
use crate::unified::{
    CategoryImages, Field, Guid, Labels, Odometer, Position, Timestamp, Vehicle, VehicleCategory,
    VehicleDevice, VehicleId, VehicleStatus,
};

fn guid(f: Field<String>) -> Field<Guid> {
    f.map(Guid::from_vendor)
}

fn guid_text(f: Field<Guid>) -> Field<String> {
    f.map(Guid::into_string)
}

fn time(f: Field<String>) -> Field<Timestamp> {
    f.map(Timestamp::from_vendor)
}

fn time_text(f: Field<Timestamp>) -> Field<String> {
    f.map(Timestamp::into_string)
}

fn category_owner(id: &Field<i64>) -> String {
    match id {
        Field::Value(id) => format!("category {id}"),
        _ => "category without ID".into(),
    }
}

fn read_labels(
    text: Field<String>,
    owner: impl FnOnce() -> String,
    member: &'static str,
) -> Result<Field<Labels>, UnreadableLabels> {
    Ok(match text {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(t) => Field::Value(labels::parse(&t, owner, member)?),
    })
}

fn write_labels(l: Field<Labels>) -> Field<String> {
    l.map(|l| labels::stringify(&l))
}

/// A vendor category (at any depth) as the unified one.
pub fn category_from_wire(w: VehicleCategoryDto) -> Result<VehicleCategory, UnreadableLabels> {
    let labels = read_labels(w.labels, || category_owner(&w.id), "Labels")?;
    let children = match w.children {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(c) => Field::Value(
            c.into_iter()
                .map(category_from_wire)
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(VehicleCategory {
        id: w.id,
        parent_id: w.parent_id,
        labels,
        children,
        guid: guid(w.guid),
        parent_guid: guid(w.parent_guid),
        originator: guid(w.originator),
        manufacturer: w.manufacturer,
        model: w.model,
        year: w.year,
        passenger_seats: w.passenger_seats,
        image: w.image,
        image_thumbnail: w.image_thumbnail,
        created_at: time(w.created_date),
        deleted_at: time(w.deletion_date),
        is_root: w.is_root,
    })
}

/// A unified category as the vendor's (every member).
pub fn category_to_wire(u: VehicleCategory) -> VehicleCategoryDto {
    VehicleCategoryDto {
        id: u.id,
        parent_id: u.parent_id,
        labels: write_labels(u.labels),
        children: u
            .children
            .map(|c| c.into_iter().map(category_to_wire).collect()),
        guid: guid_text(u.guid),
        parent_guid: guid_text(u.parent_guid),
        originator: guid_text(u.originator),
        deletion_date: time_text(u.deleted_at),
        created_date: time_text(u.created_at),
        manufacturer: u.manufacturer,
        model: u.model,
        year: u.year,
        passenger_seats: u.passenger_seats,
        image: u.image,
        image_thumbnail: u.image_thumbnail,
        is_root: u.is_root,
    }
}

/// The body of `POST /v1/vehicle-categories`: the members the vendor stores.
pub fn category_to_edit(u: &VehicleCategory) -> CategoryEditDto {
    CategoryEditDto {
        id: u.id.clone(),
        parent_id: u.parent_id.clone(),
        labels: write_labels(u.labels.clone()),
        manufacturer: u.manufacturer.clone(),
        model: u.model.clone(),
        year: u.year.clone(),
        passenger_seats: u.passenger_seats.clone(),
    }
}

/// What the vendor stores of an edit body, as a unified category.
pub fn edit_to_category(w: CategoryEditDto) -> Result<VehicleCategory, UnreadableLabels> {
    Ok(VehicleCategory {
        labels: read_labels(w.labels, || category_owner(&w.id), "Labels")?,
        id: w.id,
        parent_id: w.parent_id,
        manufacturer: w.manufacturer,
        model: w.model,
        year: w.year,
        passenger_seats: w.passenger_seats,
        ..VehicleCategory::default()
    })
}

pub fn images_from_wire(w: CategoryImagesDto) -> CategoryImages {
    CategoryImages {
        image: w.image,
        image_thumbnail: w.image_thumbnail,
    }
}

pub fn images_to_wire(u: CategoryImages) -> CategoryImagesDto {
    CategoryImagesDto {
        image: u.image,
        image_thumbnail: u.image_thumbnail,
    }
}

fn device_from_wire(w: DeviceDto) -> VehicleDevice {
    VehicleDevice {
        id: w.id,
        serial_number: w.serial_number,
        last_sync_at: time(w.last_device_sync),
    }
}

fn device_to_wire(u: VehicleDevice) -> DeviceDto {
    DeviceDto {
        id: u.id,
        serial_number: u.serial_number,
        last_device_sync: time_text(u.last_sync_at),
    }
}

fn status_from_wire(w: VehicleStatusDto) -> VehicleStatus {
    VehicleStatus {
        current_reservation_end: time(w.current_reservation_end),
        current_reservation_max_start: time(w.current_reservation_max_start),
        current_reservation_min_start: time(w.current_reservation_min_start),
        last_device_sync: time(w.last_device_sync),
        last_maintenance_end: time(w.last_maintenance_end),
        last_maintenance_start: time(w.last_maintenance_start),
        last_motion: time(w.last_motion),
        last_position_update: time(w.last_position_update),
        last_trip_end: time(w.last_trip_end),
        last_trip_start: time(w.last_trip_start),
        fuel_level_pct: w.fuel_level_pct,
        service_battery: w.service_battery,
        last_network_signal_strength_pct: w.last_network_signal_strength_pct,
        admin_operative_status: w.admin_operative_status,
        system_operative_status: w.system_operative_status,
        is_low_fuel: w.is_low_fuel,
        is_low_evb: w.is_low_evb,
        is_lost_contact: w.is_lost_contact,
        is_position_lost: w.is_position_lost,
        is_reserved: w.is_reserved,
        is_on_trip: w.is_on_trip,
        is_on_trip_and_moving: w.is_on_trip_and_moving,
        is_without_trips_for_long: w.is_without_trips_for_long,
        is_in_maintenance: w.is_in_maintenance,
        is_internet_weak: w.is_internet_weak,
    }
}

fn status_to_wire(u: VehicleStatus) -> VehicleStatusDto {
    VehicleStatusDto {
        current_reservation_end: time_text(u.current_reservation_end),
        current_reservation_max_start: time_text(u.current_reservation_max_start),
        current_reservation_min_start: time_text(u.current_reservation_min_start),
        last_device_sync: time_text(u.last_device_sync),
        last_maintenance_end: time_text(u.last_maintenance_end),
        last_maintenance_start: time_text(u.last_maintenance_start),
        last_motion: time_text(u.last_motion),
        last_position_update: time_text(u.last_position_update),
        last_trip_end: time_text(u.last_trip_end),
        last_trip_start: time_text(u.last_trip_start),
        fuel_level_pct: u.fuel_level_pct,
        service_battery: u.service_battery,
        last_network_signal_strength_pct: u.last_network_signal_strength_pct,
        admin_operative_status: u.admin_operative_status,
        system_operative_status: u.system_operative_status,
        is_low_fuel: u.is_low_fuel,
        is_low_evb: u.is_low_evb,
        is_lost_contact: u.is_lost_contact,
        is_position_lost: u.is_position_lost,
        is_reserved: u.is_reserved,
        is_on_trip: u.is_on_trip,
        is_on_trip_and_moving: u.is_on_trip_and_moving,
        is_without_trips_for_long: u.is_without_trips_for_long,
        is_in_maintenance: u.is_in_maintenance,
        is_internet_weak: u.is_internet_weak,
    }
}

/// Several vendor members folded into one unified object: absent when all
/// are absent, else an object holding each as it was.
fn all_absent(fields: &[bool]) -> bool {
    fields.iter().all(|absent| *absent)
}

/// A vendor vehicle as the unified one.
pub fn vehicle_from_wire(w: VehicleDto) -> Result<Vehicle, UnreadableLabels> {
    let vehicle_id = w.id.clone();
    let category_id = w.category_id.clone();
    let owner = || {
        let v = match &vehicle_id {
            Field::Value(id) => format!("vehicle {id}"),
            _ => "vehicle without ID".into(),
        };
        match &category_id {
            Field::Value(c) => format!("{v} (category {c})"),
            _ => v,
        }
    };
    let category_labels = read_labels(w.category_labels, owner, "CategoryLabels")?;
    let category_tree = match w.category_tree {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(t) => Field::Value(Box::new(category_from_wire(*t)?)),
    };
    let odometer = if all_absent(&[
        w.odometer_km.is_absent(),
        w.last_odometer_reading.is_absent(),
    ]) {
        Field::Absent
    } else {
        Field::Value(Odometer {
            km: w.odometer_km,
            reported_at: time(w.last_odometer_reading),
        })
    };
    let position = if all_absent(&[
        w.latitude.is_absent(),
        w.longitude.is_absent(),
        w.last_position_update.is_absent(),
    ]) {
        Field::Absent
    } else {
        Field::Value(Position {
            latitude: w.latitude,
            longitude: w.longitude,
            updated_at: time(w.last_position_update),
        })
    };
    Ok(Vehicle {
        id: w.id.map(VehicleId::Int),
        vin: w.vin,
        license_plate: w.license_plate,
        odometer,
        sticker: w.sticker,
        last_set_operative_by: w.last_set_operative_by,
        is_operative: w.is_operative,
        admin_operative_status: w.admin_operative_status,
        system_operative_status: w.system_operative_status,
        system_operative_reason: w.system_operative_reason,
        overridden_system_operative_status: w.overridden_system_operative_status,
        forced_operative_by: w.forced_operative_by,
        notes: w.notes,
        category_labels,
        category_id: w.category_id,
        category_tree,
        devices: w
            .devices
            .map(|d| d.into_iter().map(device_from_wire).collect()),
        nominal_garage: w.nominal_garage,
        nominal_garage_id: w.nominal_garage_id,
        recovering_garage: w.recovering_garage,
        recovering_garage_id: w.recovering_garage_id,
        position,
        groups: w
            .groups
            .map(|g| g.into_iter().map(Guid::from_vendor).collect()),
        current_trip_guid: guid(w.current_trip_guid),
        device_id: w.device_id,
        last_device_sync_at: time(w.last_device_sync),
        network_signal_strength_pct: w.last_network_signal_strength_pct,
        engine_type: w.engine_type,
        fuel_tank_capacity: w.fuel_tank_capacity,
        fuel_level_pct: w.fuel_level_pct,
        evb_level_pct: w.evb_level_pct,
        is_damaged: w.is_damaged,
        status: w.status.map(status_from_wire),
        internal_cleaning_status: w.internal_cleaning_status,
        external_cleaning_status: w.external_cleaning_status,
        ignition_voltage_level: w.ignition_voltage_level,
        ..Vehicle::default()
    })
}

/// A unified vehicle as the vendor's. Members fleet-admin has no place for
/// (Vehizen's, a GUID `id`) are left out; nothing writes vehicles through
/// fleet-admin, this direction serves the round-trip tests.
pub fn vehicle_to_wire(u: Vehicle) -> VehicleDto {
    // A null odometer or position clears every vendor member it holds.
    let (odometer_km, last_odometer_reading) = match u.odometer {
        Field::Absent => (Field::Absent, Field::Absent),
        Field::Null => (Field::Null, Field::Null),
        Field::Value(o) => (o.km, time_text(o.reported_at)),
    };
    let (latitude, longitude, last_position_update) = match u.position {
        Field::Absent => (Field::Absent, Field::Absent, Field::Absent),
        Field::Null => (Field::Null, Field::Null, Field::Null),
        Field::Value(p) => (p.latitude, p.longitude, time_text(p.updated_at)),
    };
    let id = match u.id {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(VehicleId::Int(i)) => Field::Value(i),
        Field::Value(VehicleId::Text(_)) => Field::Absent,
    };
    VehicleDto {
        id,
        license_plate: u.license_plate,
        vin: u.vin,
        sticker: u.sticker,
        last_set_operative_by: u.last_set_operative_by,
        is_operative: u.is_operative,
        admin_operative_status: u.admin_operative_status,
        system_operative_status: u.system_operative_status,
        system_operative_reason: u.system_operative_reason,
        overridden_system_operative_status: u.overridden_system_operative_status,
        forced_operative_by: u.forced_operative_by,
        notes: u.notes,
        category_labels: write_labels(u.category_labels),
        category_id: u.category_id,
        category_tree: u.category_tree.map(|t| Box::new(category_to_wire(*t))),
        devices: u
            .devices
            .map(|d| d.into_iter().map(device_to_wire).collect()),
        nominal_garage: u.nominal_garage,
        nominal_garage_id: u.nominal_garage_id,
        recovering_garage: u.recovering_garage,
        recovering_garage_id: u.recovering_garage_id,
        latitude,
        longitude,
        last_position_update,
        groups: u
            .groups
            .map(|g| g.into_iter().map(Guid::into_string).collect()),
        current_trip_guid: guid_text(u.current_trip_guid),
        device_id: u.device_id,
        last_device_sync: time_text(u.last_device_sync_at),
        last_network_signal_strength_pct: u.network_signal_strength_pct,
        engine_type: u.engine_type,
        fuel_tank_capacity: u.fuel_tank_capacity,
        fuel_level_pct: u.fuel_level_pct,
        evb_level_pct: u.evb_level_pct,
        odometer_km,
        last_odometer_reading,
        is_damaged: u.is_damaged,
        status: u.status.map(status_to_wire),
        internal_cleaning_status: u.internal_cleaning_status,
        external_cleaning_status: u.external_cleaning_status,
        ignition_voltage_level: u.ignition_voltage_level,
    }
}
