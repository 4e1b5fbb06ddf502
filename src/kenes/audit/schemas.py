from ninja import Field, Schema


class BlockOut(Schema):
    number: int
    sealed_at: str = Field(description="UTC time with microseconds, exactly as it enters the block hash.")
    event_count: int
    first_event_id: int
    last_event_id: int
    merkle_root: str = Field(description="RFC 6962 Merkle tree hash (hex) of the block's leaves.")
    prev_hash: str = Field(description='Hash of the previous block; "0" × 64 for block 1.')
    hash: str = Field(description="SHA-256 of the canonical JSON of the fields above (see docs/audit.md).")


class LeafOut(Schema):
    event_id: int
    leaf_hash: str = Field(
        description="The event's content hash when sealed; the leaf is f'{event_id}:{leaf_hash}'."
    )


class BlockDetailOut(BlockOut):
    leaves: list[LeafOut] = Field(description="Every leaf of the block, in order.")


class ProofOut(Schema):
    block: int
    event_id: int
    leaf: str = Field(description="The leaf text, f'{event_id}:{leaf_hash}'.")
    leaf_hash: str
    leaf_index: int
    tree_size: int
    audit_path: list[str] = Field(description="RFC 6962 audit path (hex), nearest the leaf first.")
    merkle_root: str
