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
