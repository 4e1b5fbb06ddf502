META
key;value
description;Hand-made approval instance for the engine's tests
country;Nowhere
unit;Testville
instance;2026
num_projects;5
num_votes;6
budget;10
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a;6;4;Park;1
b;5;3;"Library; new wing";0
c;4;3;"The ""Green"" square";1
d;1;1;Benches;0
e;3;0;;0
VOTES
voter_id;vote
v1;a,b
v2;a,b
v3;a,c
v4;b,c
v5;c,d
v6;a
