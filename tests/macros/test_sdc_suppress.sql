-- sdc_suppress on hand-made cells (threshold 10): returns the cells whose marker is not the
-- expected one (or that are missing); passes when empty.
with

cells (cell_id, stage, parent_cell_id, people, complement_people) as (
    values
    -- one small cell: primary, and the next smallest child secondary
    ('a0', 1, null, 100, null),
    ('a1', 1, null, 4, null),
    ('a2', 1, null, 50, null),
    ('a3', 1, null, 46, null),
    -- two small cells adding up to the threshold: primary only
    ('b0', 1, null, 100, null),
    ('b1', 1, null, 4, null),
    ('b2', 1, null, 7, null),
    ('b3', 1, null, 89, null),
    -- two small cells adding up to less than the threshold: their sum would show both are small
    ('c0', 1, null, 100, null),
    ('c1', 1, null, 2, null),
    ('c2', 1, null, 3, null),
    ('c3', 1, null, 40, null),
    ('c4', 1, null, 55, null),
    -- every cell large: nothing suppressed
    ('d0', 1, null, 100, null),
    ('d1', 1, null, 30, null),
    ('d2', 1, null, 70, null),
    -- a zero is a count below the threshold
    ('e0', 1, null, 50, null),
    ('e1', 1, null, 0, null),
    ('e2', 1, null, 50, null),
    -- a secondary cell shared by a second relation makes that relation suppress a cell too
    ('f0', 1, null, 60, null),
    ('f1', 1, null, 5, null),
    ('f2', 1, null, 55, null),
    ('g0', 1, null, 80, null),
    ('g2', 1, null, 25, null),
    -- a total below the threshold: every cell primary, nothing more
    ('h0', 1, null, 8, null),
    ('h1', 1, null, 3, null),
    ('h2', 1, null, 5, null),
    ('k0', 1, null, 200, null),
    ('k1', 1, null, 50, null),
    ('k2', 1, null, 60, null),
    ('k3', 1, null, 90, null),
    -- stage 2 (e.g. reoffenders, complement = offenders who did not reoffend) of the a cells:
    -- below the threshold (primary before linked), linked to a suppressed parent
    ('r0', 2, 'a0', 60, 40),
    ('r1', 2, 'a1', 3, 1),
    ('r2', 2, 'a2', 27, 23),
    ('r3', 2, 'a3', 30, 16),
    -- of the d cells: a complement below the threshold, and a secondary cell
    ('s0', 2, 'd0', 60, 40),
    ('s1', 2, 'd1', 25, 5),
    ('s2', 2, 'd2', 35, 35),
    -- of the k cells: two complements below the threshold adding up to less than 10, so a third
    ('u0', 2, 'k0', 179, 21),
    ('u1', 2, 'k1', 45, 5),
    ('u2', 2, 'k2', 56, 4),
    ('u3', 2, 'k3', 78, 12)
),

relations (relation_id, cell_id, is_total) as (
    values
    ('a', 'a0', true), ('a', 'a1', false), ('a', 'a2', false), ('a', 'a3', false),
    ('b', 'b0', true), ('b', 'b1', false), ('b', 'b2', false), ('b', 'b3', false),
    ('c', 'c0', true), ('c', 'c1', false), ('c', 'c2', false), ('c', 'c3', false),
    ('c', 'c4', false),
    ('d', 'd0', true), ('d', 'd1', false), ('d', 'd2', false),
    ('e', 'e0', true), ('e', 'e1', false), ('e', 'e2', false),
    ('f', 'f0', true), ('f', 'f1', false), ('f', 'f2', false),
    ('g', 'g0', true), ('g', 'f2', false), ('g', 'g2', false),
    ('h', 'h0', true), ('h', 'h1', false), ('h', 'h2', false),
    ('k', 'k0', true), ('k', 'k1', false), ('k', 'k2', false), ('k', 'k3', false),
    ('r', 'r0', true), ('r', 'r1', false), ('r', 'r2', false), ('r', 'r3', false),
    ('s', 's0', true), ('s', 's1', false), ('s', 's2', false),
    ('u', 'u0', true), ('u', 'u1', false), ('u', 'u2', false), ('u', 'u3', false)
),

expected (cell_id, suppression_marker) as (
    values
    ('a0', null), ('a1', 'primary'), ('a2', null), ('a3', 'secondary'),
    ('b0', null), ('b1', 'primary'), ('b2', 'primary'), ('b3', null),
    ('c0', null), ('c1', 'primary'), ('c2', 'primary'), ('c3', 'secondary'),
    ('c4', null),
    ('d0', null), ('d1', null), ('d2', null),
    ('e0', null), ('e1', 'primary'), ('e2', 'secondary'),
    ('f0', null), ('f1', 'primary'), ('f2', 'secondary'),
    ('g0', null), ('g2', 'secondary'),
    ('h0', 'primary'), ('h1', 'primary'), ('h2', 'primary'),
    ('k0', null), ('k1', null), ('k2', null), ('k3', null),
    ('r0', null), ('r1', 'primary'), ('r2', null), ('r3', 'linked'),
    ('s0', null), ('s1', 'complement'), ('s2', 'secondary'),
    ('u0', null), ('u1', 'complement'), ('u2', 'complement'), ('u3', 'secondary')
),

actual as (
    {{ repeat_offending.sdc_suppress('cells', 'relations', stages=2) }}
)

select
    coalesce(expected.cell_id, actual.cell_id) as cell_id,
    expected.suppression_marker as expected_marker,
    actual.suppression_marker as actual_marker
from expected
full outer join actual
    on expected.cell_id = actual.cell_id
where
    expected.cell_id is null
    or actual.cell_id is null
    or coalesce(expected.suppression_marker, '-') != coalesce(actual.suppression_marker, '-')
