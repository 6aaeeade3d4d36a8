//! Wire <-> unified, pure and total. Lossless: wire -> unified -> wire is the
//! identity (every member keeps its presence, null and value). Vendor ids
//! and timestamps are taken as the vendor wrote them.

use crate::unified::{
    CustomerGroup, ExternalInterface, Field, Guid, Odometer, Timestamp, Vehicle, VehicleId,
};

use super::enums::{CAMERA_TYPE, MALFUNCTION_LEVEL, STATE};
use super::wire::{CustomerGroupDto, ExternalInterfaceHeaderDto, VehicleLightDto};

fn guid(f: Field<String>) -> Field<Guid> {
    f.map(Guid::from_vendor)
}

fn time(f: Field<String>) -> Field<Timestamp> {
    f.map(Timestamp::from_vendor)
}

fn guid_text(f: Field<Guid>) -> Field<String> {
    f.map(Guid::into_string)
}

fn time_text(f: Field<Timestamp>) -> Field<String> {
    f.map(Timestamp::into_string)
}

fn list<A, B: From<A>>(f: Field<Vec<A>>) -> Field<Vec<B>> {
    f.map(|v| v.into_iter().map(B::from).collect())
}

impl From<CustomerGroupDto> for CustomerGroup {
    fn from(w: CustomerGroupDto) -> Self {
        CustomerGroup {
            id: guid(w.id),
            customer_id: guid(w.customer_id),
            name: w.name,
            eco_drive_profile_id: guid(w.profil_eco_drive_id),
            vehicles: list(w.vehicles),
        }
    }
}

impl From<CustomerGroup> for CustomerGroupDto {
    fn from(u: CustomerGroup) -> Self {
        CustomerGroupDto {
            id: guid_text(u.id),
            customer_id: guid_text(u.customer_id),
            name: u.name,
            profil_eco_drive_id: guid_text(u.eco_drive_profile_id),
            vehicles: list(u.vehicles),
        }
    }
}

impl From<ExternalInterfaceHeaderDto> for ExternalInterface {
    fn from(w: ExternalInterfaceHeaderDto) -> Self {
        ExternalInterface {
            id: guid(w.id),
            customer_id: guid(w.customer_id),
            name: w.name,
        }
    }
}

impl From<ExternalInterface> for ExternalInterfaceHeaderDto {
    fn from(u: ExternalInterface) -> Self {
        ExternalInterfaceHeaderDto {
            id: guid_text(u.id),
            customer_id: guid_text(u.customer_id),
            name: u.name,
        }
    }
}

impl From<VehicleLightDto> for Vehicle {
    fn from(w: VehicleLightDto) -> Self {
        // Absent only when both parts are absent, so presence round-trips.
        let odometer = if w.milestone.is_absent() && w.utc_mileage_report.is_absent() {
            Field::Absent
        } else {
            Field::Value(Odometer {
                km: w.milestone,
                reported_at: time(w.utc_mileage_report),
            })
        };
        Vehicle {
            id: VehicleId::from_vendor(w.vehicle_id),
            id_ws: w.id_ws,
            vin: w.vin,
            license_plate: w.licence_plate,
            make: w.brand,
            model: w.model,
            name: w.name,
            full_name: w.full_name,
            r#type: w.vehicle_type,
            utility: w.utility,
            customer_id: guid(w.customer_id),
            customer_group_id: guid(w.customer_group_id),
            customer_group_name: w.customer_group_name,
            agency_affiliation_id: guid(w.agency_affiliation_id),
            agency_affiliation_name: w.agency_affiliation_name,
            odometer,
            odometer_at_assignment_km: w.milestone_at_assignment,
            is_active: w.is_active,
            state: w.state,
            vehicle_state: w.vehicle_state,
            malfunction_level: w.malfunction_level,
            malfunction_level_changed_at: time(w.date_utc_change_malfunction_level),
            has_malfunction_history: w.has_malfunction_history,
            is_called_for_maintenance: w.is_vehicle_call_for_maintenance,
            initial_entry_into_service: time(w.initial_entry_into_service),
            job_activity: w.job_activity,
            renting: w.renting,
            lease_start_at: time(w.utc_start_of_lease),
            lease_end_at: time(w.utc_end_of_lease),
            lease_start_km: w.km_start_of_lease,
            lease_end_km: w.km_end_of_lease,
            fuel_name: w.fuel_name,
            fuel_type_id: w.fuel_type_id,
            fuel_type_id_synthesis: w.fuel_type_id_synthesis,
            is_fuel_type_conflict: w.is_fuel_type_conflict,
            theoretical_consumption: w.theoretical_consumption,
            reservoir_volume: w.reservoir_volume,
            tolerance: w.tolerance,
            total_fuel_used: w.total_fuel_used,
            can_fuel_reported_at: time(w.can_fuel_report_utc),
            mobile_unit_id: guid(w.mobile_unit_id),
            mobile_unit_name: w.mobile_unit_name,
            imei: w.imei,
            external_interface_id: guid(w.external_interface_id),
            external_interfaces: list(w.external_interfaces),
            compatible_download: w.compatible_download,
            tachy_speed_limit: w.tachy_speed_limit,
            camera_type: w.camera_type,
            no_geoloc: w.no_geoloc,
            ..Vehicle::default()
        }
    }
}

impl From<Vehicle> for VehicleLightDto {
    fn from(u: Vehicle) -> Self {
        // A null odometer clears both vendor members.
        let (milestone, utc_mileage_report) = match u.odometer {
            Field::Absent => (Field::Absent, Field::Absent),
            Field::Null => (Field::Null, Field::Null),
            Field::Value(o) => (o.km, time_text(o.reported_at)),
        };
        VehicleLightDto {
            id_ws: u.id_ws,
            agency_affiliation_name: u.agency_affiliation_name,
            agency_affiliation_id: guid_text(u.agency_affiliation_id),
            customer_group_id: guid_text(u.customer_group_id),
            customer_group_name: u.customer_group_name,
            vin: u.vin,
            external_interface_id: guid_text(u.external_interface_id),
            initial_entry_into_service: time_text(u.initial_entry_into_service),
            external_interfaces: list(u.external_interfaces),
            job_activity: u.job_activity,
            renting: u.renting,
            utc_end_of_lease: time_text(u.lease_end_at),
            utc_start_of_lease: time_text(u.lease_start_at),
            km_end_of_lease: u.lease_end_km,
            km_start_of_lease: u.lease_start_km,
            theoretical_consumption: u.theoretical_consumption,
            reservoir_volume: u.reservoir_volume,
            tolerance: u.tolerance,
            mobile_unit_id: guid_text(u.mobile_unit_id),
            mobile_unit_name: u.mobile_unit_name,
            imei: u.imei,
            total_fuel_used: u.total_fuel_used,
            can_fuel_report_utc: time_text(u.can_fuel_reported_at),
            milestone,
            utc_mileage_report,
            milestone_at_assignment: u.odometer_at_assignment_km,
            tachy_speed_limit: u.tachy_speed_limit,
            // Unified input may give a known code; the wire holds names.
            camera_type: u.camera_type.map(|v| CAMERA_TYPE.normalize(v)),
            no_geoloc: u.no_geoloc,
            vehicle_state: u.vehicle_state.map(|v| STATE.normalize(v)),
            vehicle_id: VehicleId::text(u.id),
            customer_id: guid_text(u.customer_id),
            licence_plate: u.license_plate,
            name: u.name,
            vehicle_type: u.r#type,
            brand: u.make,
            model: u.model,
            state: u.state.map(|v| STATE.normalize(v)),
            malfunction_level: u.malfunction_level.map(|v| MALFUNCTION_LEVEL.normalize(v)),
            date_utc_change_malfunction_level: time_text(u.malfunction_level_changed_at),
            has_malfunction_history: u.has_malfunction_history,
            is_vehicle_call_for_maintenance: u.is_called_for_maintenance,
            fuel_name: u.fuel_name,
            full_name: u.full_name,
            utility: u.utility,
            fuel_type_id: u.fuel_type_id,
            fuel_type_id_synthesis: u.fuel_type_id_synthesis,
            is_fuel_type_conflict: u.is_fuel_type_conflict,
            is_active: u.is_active,
            compatible_download: u.compatible_download,
        }
    }
}
