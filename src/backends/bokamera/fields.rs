//! ServiceStack `FieldName`s (`InvoiceAddress.InvoiceCity`,
//! `CustomFields[0].Value`) in unified names (`invoiceAddress.city`,
//! `customFields[0].value`).

/// One level of the request: a vendor member, its unified name, and the
/// members under it.
struct Member {
    vendor: &'static str,
    unified: &'static str,
    children: &'static [Member],
}

const fn leaf(vendor: &'static str, unified: &'static str) -> Member {
    Member {
        vendor,
        unified,
        children: &[],
    }
}

const CUSTOM_FIELD: &[Member] = &[leaf("Id", "id"), leaf("Value", "value")];

const ACCESS_KEY: &[Member] = &[
    leaf("Id", "id"),
    leaf("CompanyId", "companyId"),
    leaf("AccessKeyTypeId", "accessKeyTypeId"),
    leaf("Value", "value"),
    leaf("CustomerId", "customerId"),
    leaf("Description", "description"),
];

const ACCESS_KEY_REF: &[Member] = &[leaf("Id", "id")];

const INVOICE_ADDRESS: &[Member] = &[
    leaf("CorporateIdentityNumber", "corporateIdentityNumber"),
    leaf("InvoiceAddress1", "line1"),
    leaf("InvoiceAddress2", "line2"),
    leaf("InvoiceCity", "city"),
    leaf("InvoicePostalCode", "postalCode"),
    leaf("InvoiceCountryCode", "countryCode"),
];

/// `UpdateCustomer`. `Email` and `Phone` hold the preferred (else first)
/// entry of a unified list, whose index the vendor cannot know: the list
/// is named. `CompanyId` is the `companyId` query option.
const UPDATE_CUSTOMER: &[Member] = &[
    leaf("Id", "id"),
    leaf("CompanyId", "companyId"),
    leaf("Firstname", "firstName"),
    leaf("Lastname", "lastName"),
    leaf("Phone", "phones"),
    leaf("Email", "emails"),
    Member {
        vendor: "CustomFields",
        unified: "customFields",
        children: CUSTOM_FIELD,
    },
    Member {
        vendor: "AccessKeys",
        unified: "accessKeys",
        children: ACCESS_KEY,
    },
    Member {
        vendor: "AccessKeysToDelete",
        unified: "accessKeysToDelete",
        children: ACCESS_KEY_REF,
    },
    leaf("SubscribedToNewsletter", "subscribedToNewsletter"),
    Member {
        vendor: "InvoiceAddress",
        unified: "invoiceAddress",
        children: INVOICE_ADDRESS,
    },
];

/// The unified path of a vendor `FieldName`, when every part of it has a
/// unified name (member names compared ignoring case, as ServiceStack
/// does); `None` otherwise.
pub fn unified_field(field_name: &str) -> Option<String> {
    let mut level = UPDATE_CUSTOMER;
    let mut out = String::new();
    for part in field_name.trim().split('.') {
        // `Name[0][1]`: the name, then its indexes verbatim.
        let (name, indexes) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !indexes.is_empty() && !valid_indexes(indexes) {
            return None;
        }
        let m = level.iter().find(|m| m.vendor.eq_ignore_ascii_case(name))?;
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(m.unified);
        out.push_str(indexes);
        level = m.children;
    }
    Some(out)
}

fn valid_indexes(s: &str) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('[') else {
            return false;
        };
        let Some(close) = r.find(']') else {
            return false;
        };
        if close == 0 || !r[..close].bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        rest = &r[close + 1..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_known_names() {
        for (v, u) in [
            ("Firstname", "firstName"),
            ("lastname", "lastName"),
            ("Email", "emails"),
            ("Phone", "phones"),
            ("CompanyId", "companyId"),
            ("SubscribedToNewsletter", "subscribedToNewsletter"),
            ("InvoiceAddress.InvoiceCity", "invoiceAddress.city"),
            ("InvoiceAddress.InvoiceAddress1", "invoiceAddress.line1"),
            ("InvoiceAddress", "invoiceAddress"),
            ("CustomFields[0].Value", "customFields[0].value"),
            ("CustomFields[12]", "customFields[12]"),
            (
                "AccessKeys[1].AccessKeyTypeId",
                "accessKeys[1].accessKeyTypeId",
            ),
            ("AccessKeysToDelete[0].Id", "accessKeysToDelete[0].id"),
        ] {
            assert_eq!(unified_field(v).as_deref(), Some(u), "{v}");
        }
    }

    #[test]
    fn unknown_names_are_none() {
        for v in [
            "",
            "Colour",
            "Firstname.Foo",
            "CustomFields[x].Value",
            "CustomFields[0.Value",
            "CustomFields[].Value",
            "InvoiceAddress.Street",
        ] {
            assert_eq!(unified_field(v), None, "{v}");
        }
    }
}
