//! Lists of indexes, one per node, held in two vectors: the adjacency of a
//! graph of tens of thousands of services without a vector per service.

use std::ops::Index;

/// `lists[node]` is the slice of items given for `node`, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexLists {
    /// Where each node's items start in `items`; one more entry than nodes.
    starts: Vec<usize>,
    items: Vec<usize>,
}

impl IndexLists {
    /// Groups `(node, item)` pairs by node; every node is below `nodes`.
    pub fn new<I>(nodes: usize, pairs: I) -> IndexLists
    where
        I: Iterator<Item = (usize, usize)> + Clone,
    {
        let mut starts = vec![0; nodes + 1];
        for (node, _) in pairs.clone() {
            starts[node + 1] += 1;
        }
        for i in 0..nodes {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut items = vec![0; starts[nodes]];
        for (node, item) in pairs {
            items[next[node]] = item;
            next[node] += 1;
        }
        IndexLists { starts, items }
    }

    /// The items of `node`, or none when there is no such node.
    pub fn get(&self, node: usize) -> &[usize] {
        match (self.starts.get(node), self.starts.get(node + 1)) {
            (Some(&a), Some(&b)) => &self.items[a..b],
            _ => &[],
        }
    }

    /// Each node's items, in node order.
    pub fn iter(&self) -> impl Iterator<Item = &[usize]> + '_ {
        self.starts.windows(2).map(|w| &self.items[w[0]..w[1]])
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Index<usize> for IndexLists {
    type Output = [usize];

    fn index(&self, node: usize) -> &[usize] {
        &self.items[self.starts[node]..self.starts[node + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_items_by_node_in_the_order_given() {
        let pairs = [(2, 10), (0, 11), (2, 12), (0, 13), (3, 14)];
        let lists = IndexLists::new(5, pairs.iter().copied());
        assert_eq!(lists.len(), 5);
        assert_eq!(&lists[0], &[11, 13]);
        assert_eq!(&lists[1], &[] as &[usize]);
        assert_eq!(&lists[2], &[10, 12]);
        assert_eq!(&lists[3], &[14]);
        assert_eq!(&lists[4], &[] as &[usize]);
        assert_eq!(lists.get(9), &[] as &[usize]);
        let all: Vec<&[usize]> = lists.iter().collect();
        assert_eq!(all, vec![&[11, 13][..], &[], &[10, 12], &[14], &[]]);
    }

    #[test]
    fn empty() {
        let lists = IndexLists::new(0, std::iter::empty());
        assert!(lists.is_empty());
        assert_eq!(lists.get(0), &[] as &[usize]);
    }
}
