//! Lookups into the capacity, instance and price knowledge of the pack:
//! limits by service and name, instance types by name, prices by region,
//! service, component and type.

use crate::FastMap;

use super::{
    Generation, InstanceClassDef, InstanceFamilyDef, InstanceServiceDef, InstanceTypeDef, KindId,
    LimitDef, Pack, PackError, PriceDef, WorkloadDef,
};

/// The limit names the rules and the cost model read (`rules/limits.toml`).
pub const LIMIT_NAMES: [&str; 10] = [
    "shard-write-throughput",
    "shard-write-records",
    "shard-read-throughput",
    "efo-read-throughput",
    "efo-consumers",
    "on-demand-write-throughput",
    "on-demand-read-throughput",
    "record-size",
    "retention",
    "memory",
];

/// (region, service, component, item).
pub(super) type PriceKey = (String, String, String, Option<String>);

/// What the pack knows of a family: from an `[[instance_family]]` (with
/// shapes) or a `[[family_list]]`.
#[derive(Clone, Debug)]
pub(crate) struct FamilyMeta {
    pub class: Option<String>,
    pub generation: Generation,
    /// Index into `instance_families`, for a family with shapes.
    pub def: Option<usize>,
    pub successor: Option<String>,
    pub arm_successor: Option<String>,
}

/// What the pack knows of an instance type as a service names it.
#[derive(Clone, Copy, Debug)]
pub struct InstanceInfo<'a> {
    /// The EC2-style name: `r5.large` for `db.r5.large`.
    pub name: &'a str,
    pub family_id: &'a str,
    /// The family's class; none for families outside the classes.
    pub class: Option<&'a str>,
    /// The generation in this service (its own list, else EC2's).
    pub generation: Generation,
    /// The family's entry with shapes, when it has one.
    pub family: Option<&'a InstanceFamilyDef>,
    pub shape: Option<&'a InstanceTypeDef>,
    pub successor: Option<&'a str>,
    pub arm_successor: Option<&'a str>,
    /// The service accepts this exact type: its catalog lists it, or (for a
    /// service without a catalog) the family is known and the size is one AWS uses.
    pub listed: bool,
}

impl InstanceInfo<'_> {
    pub fn is_previous(&self) -> bool {
        self.generation == Generation::Previous
    }

    /// The size part: `2xlarge` of `r5.2xlarge`.
    pub fn size(&self) -> &str {
        self.name.split_once('.').map_or("", |(_, size)| size)
    }

    /// "4 vCPU, 32 GiB", when the pack has the shape.
    pub fn shape(&self) -> Option<String> {
        self.shape
            .map(|t| format!("{} vCPU, {} GiB", t.vcpu, t.memory_gib))
    }
}

/// Whether a size is one AWS writes: nano, micro, small, medium, large,
/// xlarge, 2xlarge..., metal, metal-24xl, 12xl (Amazon MQ), and RDS's
/// `.tpc2.mem4x` suffixes after them.
fn plausible_size(size: &str) -> bool {
    let first = size.split('.').next().unwrap_or("");
    let numbered = |s: &str, unit: &str| {
        s.strip_suffix(unit)
            .is_some_and(|n| n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(
        first,
        "nano" | "micro" | "small" | "medium" | "large" | "metal"
    ) || numbered(first, "xlarge")
        || numbered(first, "xl")
        || first
            .strip_prefix("metal-")
            .is_some_and(|r| numbered(r, "xl"))
}

/// An instance type found in the pack, with its family.
#[derive(Clone, Copy, Debug)]
pub struct InstanceRef<'a> {
    pub family: &'a InstanceFamilyDef,
    pub ty: &'a InstanceTypeDef,
}

impl InstanceRef<'_> {
    /// "4 vCPU, 32 GiB".
    pub fn shape(&self) -> String {
        format!("{} vCPU, {} GiB", self.ty.vcpu, self.ty.memory_gib)
    }

    pub fn is_previous(&self) -> bool {
        self.family.generation == Generation::Previous
    }
}

impl Pack {
    /// Indexes instance types and prices; returns instance types defined in two families.
    pub(super) fn index_knowledge(&mut self) -> Vec<PackError> {
        let mut errors = Vec::new();
        let ids: FastMap<&str, usize> = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut by_kind = vec![Vec::new(); self.services.len()];
        for (i, l) in self.limits.iter().enumerate() {
            // A limit of an unknown service is reported by validation.
            if let Some(&k) = ids.get(l.service.as_str()) {
                by_kind[k].push(i);
            }
        }
        self.limits_by_kind = by_kind;
        let mut err = |message: String| {
            errors.push(PackError {
                file: "rules".into(),
                message,
            })
        };
        let mut families: FastMap<String, FamilyMeta> = FastMap::default();
        for (f, family) in self.instance_families.iter().enumerate() {
            families.insert(
                family.id.clone(),
                FamilyMeta {
                    class: Some(family.class.clone()),
                    generation: family.generation,
                    def: Some(f),
                    successor: family.successor.clone(),
                    arm_successor: family.arm_successor.clone(),
                },
            );
        }
        for list in &self.family_lists {
            for id in &list.families {
                let meta = FamilyMeta {
                    class: list.class.clone(),
                    generation: list.generation,
                    def: None,
                    successor: list.successors.get(id).cloned(),
                    arm_successor: None,
                };
                if families.insert(id.clone(), meta).is_some() {
                    err(format!("instance family `{id}` is defined twice"));
                }
            }
        }
        self.families = families;
        let mut catalogs: FastMap<String, FastMap<String, ()>> = FastMap::default();
        for c in &self.instance_catalogs {
            let set = catalogs.entry(c.service.clone()).or_default();
            set.extend(c.types.iter().map(|t| (t.clone(), ())));
        }
        self.catalogs = catalogs;
        for (f, family) in self.instance_families.iter().enumerate() {
            for (t, ty) in family.types.iter().enumerate() {
                if self
                    .instance_index
                    .insert(ty.name.clone(), (f, t))
                    .is_some()
                {
                    err(format!("instance type `{}` is defined twice", ty.name));
                }
            }
        }
        // Prices are unique by key: the pack admits each (region, service,
        // component, item) once, naming both files when one repeats.
        for (i, p) in self.prices.iter().enumerate() {
            let key = (
                p.region.clone(),
                p.service.clone(),
                p.component.clone(),
                p.item.clone(),
            );
            self.price_index.insert(key, i);
        }
        errors
    }

    /// A limit of a service kind by name, e.g. `record-size`.
    pub fn limit(&self, kind: KindId, name: &str) -> Option<&LimitDef> {
        self.limits_by_kind
            .get(usize::from(kind.0))?
            .iter()
            .map(|&i| &self.limits[i])
            .find(|l| l.limit == name)
    }

    /// How a kind names instance types, when it runs EC2 hardware.
    pub fn instance_service(&self, kind: KindId) -> Option<&InstanceServiceDef> {
        let id = &self.service(kind).id;
        self.instance_services.iter().find(|s| &s.service == id)
    }

    /// What the pack knows of a type as a service writes it (`db.r5.large`
    /// for RDS); none when the name does not have the service's form or its
    /// family is unknown.
    pub fn instance_info<'a>(
        &'a self,
        how: &InstanceServiceDef,
        written: &'a str,
    ) -> Option<InstanceInfo<'a>> {
        let name = how.strip(written)?;
        let family_id = name.split('.').next()?;
        let meta = self.families.get(family_id)?;
        let family = meta.def.map(|i| &self.instance_families[i]);
        let shape = family.and_then(|f| f.types.iter().find(|t| t.name == name));
        let generation = if how.previous_families.iter().any(|f| f == family_id) {
            Generation::Previous
        } else if how.current_families.iter().any(|f| f == family_id) {
            Generation::Current
        } else {
            meta.generation
        };
        let listed = match how.catalog.as_deref().and_then(|c| self.catalogs.get(c)) {
            // A type a pack defines with its shape is known too (a pack of
            // one's own may add types AWS launched since).
            Some(set) => set.contains_key(written) || shape.is_some(),
            None => name
                .split_once('.')
                .is_some_and(|(_, size)| plausible_size(size)),
        };
        Some(InstanceInfo {
            name,
            family_id,
            class: meta.class.as_deref(),
            generation,
            family,
            shape,
            successor: meta.successor.as_deref(),
            arm_successor: meta.arm_successor.as_deref(),
            listed,
        })
    }

    /// Every type a service's catalog lists, as the service writes them.
    pub fn catalog_types(&self, how: &InstanceServiceDef) -> Vec<&str> {
        let mut out: Vec<&str> = match how.catalog.as_deref().and_then(|c| self.catalogs.get(c)) {
            Some(set) => set.keys().map(String::as_str).collect(),
            None => Vec::new(),
        };
        out.sort_unstable();
        out
    }

    /// The type of `family` (with shapes) of the same size as `like`: the
    /// same size name, else the same vCPUs, else the smallest with more.
    pub fn same_size_as(&self, family: &str, like: &InstanceInfo<'_>) -> Option<InstanceRef<'_>> {
        let fam = self.instance_family(family)?;
        let by_name = fam
            .types
            .iter()
            .find(|t| t.name.split_once('.').map(|(_, s)| s) == Some(like.size()));
        match (by_name, like.shape) {
            (Some(t), _) => Some(InstanceRef { family: fam, ty: t }),
            (None, Some(shape)) => self.same_size_in(family, shape),
            (None, None) => None,
        }
    }

    /// An instance type by its EC2 name (`r5.xlarge`, without `ml.`).
    pub fn instance_type(&self, name: &str) -> Option<InstanceRef<'_>> {
        self.instance_index.get(name).map(|&(f, t)| {
            let family = &self.instance_families[f];
            InstanceRef {
                family,
                ty: &family.types[t],
            }
        })
    }

    /// Every instance type name, in pack order.
    pub fn instance_type_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.instance_families
            .iter()
            .flat_map(|f| f.types.iter().map(|t| t.name.as_str()))
    }

    pub fn instance_family(&self, id: &str) -> Option<&InstanceFamilyDef> {
        self.instance_families.iter().find(|f| f.id == id)
    }

    pub fn instance_class(&self, id: &str) -> Option<&InstanceClassDef> {
        self.instance_classes.iter().find(|c| c.id == id)
    }

    pub fn workload(&self, id: &str) -> Option<&WorkloadDef> {
        self.workloads.iter().find(|w| w.id == id)
    }

    /// The type of `family` closest in size to `like`: the same vCPUs, else
    /// the smallest with more, else the largest.
    pub fn same_size_in(&self, family: &str, like: &InstanceTypeDef) -> Option<InstanceRef<'_>> {
        let family = self.instance_family(family)?;
        let pick = family
            .types
            .iter()
            .filter(|t| t.vcpu >= like.vcpu)
            .min_by_key(|t| t.vcpu)
            .or_else(|| family.types.iter().max_by_key(|t| t.vcpu))?;
        Some(InstanceRef { family, ty: pick })
    }

    /// A price, when the pack has it.
    pub fn price(
        &self,
        region: &str,
        service: &str,
        component: &str,
        item: Option<&str>,
    ) -> Option<&PriceDef> {
        let key = (
            region.to_string(),
            service.to_string(),
            component.to_string(),
            item.map(str::to_string),
        );
        self.price_index.get(&key).map(|&i| &self.prices[i])
    }

    /// Every region's price of a component, in pack order.
    pub fn prices_of<'a>(
        &'a self,
        service: &'a str,
        component: &'a str,
    ) -> impl Iterator<Item = &'a PriceDef> + 'a {
        self.prices
            .iter()
            .filter(move |p| p.service == service && p.component == component)
    }

    /// Whether the pack has any price for a region.
    pub fn has_prices_for(&self, region: &str) -> bool {
        self.prices.iter().any(|p| p.region == region)
    }

    /// The regions the pack has prices for, sorted.
    pub fn price_regions(&self) -> Vec<&str> {
        let mut r: Vec<&str> = self.prices.iter().map(|p| p.region.as_str()).collect();
        r.sort();
        r.dedup();
        r
    }
}
