/**
 * The estimator's coefficients, versioned. Every number below names the published measurement,
 * Flink default or vendor guidance it comes from; where none exists the comment says what was
 * assumed and why. A deployment may override any of them with a JSON file (MODEL_FILE) that is
 * merged over `defaultModel` and validated with `ModelSchema`; `GET /api/v1/model` shows the
 * coefficients in force.
 *
 * Units: CPU costs are core-microseconds per record (µs of one fully busy core), per-byte costs
 * nanoseconds per byte, sizes bytes, bandwidths bytes per second.
 *
 * Main calibration source — the Nexmark benchmark published by the Flink community
 * (nexmark/nexmark README, "Benchmark Results": Flink 1.13, 8 TaskManagers × 1 slot on three
 * 8-core workers, datagen source at 10M events/s, blackhole sink, RocksDB with incremental
 * checkpoints every 3 min, mini-batch 2 s / 5000 rows). Its "Throughput/Cores" column gives the
 * core-microseconds per event of each query as 1e6 / throughput. q0 (pass-through) costs
 * 1e6 / 155,020 = 6.45 µs; each query's own work is its cost minus q0's.
 *
 * Held out, never fitted: the DBSP team's replication of the same 22 queries on Flink 1.15.2 (8 ×
 * m5ad.4xlarge; github.com/absoludity/nexmark-flink-dbsp-configuration). Its flink-conf.yaml has no
 * table.exec.mini-batch.* or distinct-agg split keys, and Flink 1.15's SQL client no longer reads the
 * sql-client-defaults.yaml Nexmark kept them in (nexmark/nexmark commit 05042a6 moved them into
 * flink-conf.yaml for that reason), so that run is priced without mini-batch. docs/model.md,
 * "Accuracy", compares both runs query by query.
 */
import type { Model } from './model-schema.js';

export { type Model, ModelSchema } from './model-schema.js';

export const MODEL_VERSION = '2026.12h-nexmark1.13-heldout';

/** Nexmark (Flink 1.13) µs per event = 1e6 / "Throughput/Cores" of the published table. */
const nexmark = (kEventsPerSecondPerCore: number) => 1e3 / kEventsPerSecondPerCore;
const NEXMARK_Q0 = nexmark(155.02); // pass-through: 6.45 µs

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Kafka connector cost per record, calibrated on the fastest Kafka → Flink SQL → Kafka flow that
 * Dale Lane measured with 1 TaskManager CPU: ~44,320 events/s ("How many Kafka events will Flink
 * process per second?", dalelane.co.uk, Apr 2026) ⇒ 22.56 µs per event. Subtracting the framework
 * (Nexmark q0, 6.45 µs: the source's share and one record handed to the sink) and a projection
 * (Nexmark q22 − q0, 1.24 µs) leaves 14.87 µs for the Kafka source and sink together, split evenly;
 * (de)serialization per byte is charged on top.
 */
const DALE_LANE_FASTEST_MICROS = 1e6 / 44320;
const PROJECTION_MICROS = nexmark(129.96) - NEXMARK_Q0;

/**
 * Nexmark's events: bids 92%, auctions 6%, persons 2% (nexmark.yaml proportions 46 : 3 : 1). The
 * bid queries' costs are per event, and only bids reach their operators and sink.
 */
const BIDS = 46 / 50;
/**
 * A record handed to the sink. q2 (175.21 K/s) keeps 1 bid in 123 (MOD(auction, 123) = 0) where q0
 * (155.02 K/s) passes every bid: the 0.744 µs it saves per event are (0.92 − 0.92/123) records not
 * emitted ⇒ 0.816 µs per record emitted. The filters themselves cost nothing Nexmark resolves (q2's
 * extra filter is inside the saving; q1 multiplies every bid's price and measured faster than q0).
 */
const NEXMARK_Q2 = nexmark(175.21);
const EMIT_MICROS = (NEXMARK_Q0 - NEXMARK_Q2) / (BIDS - BIDS / 123);
/** The source's share of q0: everything but handing the bids to the sink. */
const FRAMEWORK_MICROS = NEXMARK_Q0 - BIDS * EMIT_MICROS;
/** Dale Lane's flow less one record's framework, its emission and a projection, for two connectors. */
const KAFKA_CONNECTOR_MICROS = round3(
  (DALE_LANE_FASTEST_MICROS - FRAMEWORK_MICROS - EMIT_MICROS - PROJECTION_MICROS) / 2,
);
/** q17 (116.8 K/s), the plain aggregate the DISTINCT and state-access costs are measured against. */
const NEXMARK_Q17 = nexmark(116.8);
/**
 * DISTINCT aggregates: q15 and q16 both keep two distinct sets (COUNT(DISTINCT bidder) and
 * COUNT(DISTINCT auction), each with FILTER variants that share the one MapState of their argument —
 * Flink's DistinctAggCodeGen keeps one MapView per distinct argument, with a count per filter). They
 * differ in the keys they group by (q15 one day, q16 channel and day) and measured 13.81 and 53.62 µs
 * per event; the model has no term that tells those apart, so it prices both at their geometric mean
 * (27.21 µs), within 2× of each: that less what the model charges their mini-batched aggregate
 * without the sets (the framework and the accumulate, q17 − q0, on the 92% of events that are
 * bids), over the two sets of each bid.
 */
const DISTINCT_MICROS =
  (Math.sqrt(nexmark(72.42) * nexmark(18.65)) - FRAMEWORK_MICROS - BIDS * (NEXMARK_Q17 - NEXMARK_Q0)) /
  (2 * BIDS);

/**
 * Regular joins by the bytes of the rows they keep. Without a declared unique key Flink SQL keeps
 * each row as a key of a MapState (StreamingJoinOperator's InputSideHasNoUniqueKey), so on RocksDB
 * every row is written, compacted and iterated by its bytes. Nexmark has three regular joins of
 * bids and auctions that keep rows of different widths, and both runs order them the same way by
 * width: q4 (narrow) 29.1 / 45.2 µs per event, q20 52.7 / 68.1, q9 (widest) 70.2 / 87.3. Row bytes
 * are the generator's accounting (8 per long or timestamp; whole rows avgBidByteSize 100,
 * avgAuctionByteSize 500). Fitted on q4 and q20 of the 1.13 table; q9 and the held-out run check it.
 * The slope (~0.4 µs per byte) is ~170× what serializing a byte costs, so it is not serialization
 * alone; it is used only across the widths it was measured on, and beyond them only the
 * (de)serialization of the extra bytes is added (cpu.ts, joinRowMicros).
 */
const AUCTIONS = 3 / 50;
/** q20 keeps whole bids and the category-10 auctions (1 in 5, filter pushed below the join). */
const Q20_JOIN_RECORDS = BIDS + AUCTIONS / 5;
const Q20_ROW_BYTES = (BIDS * 100 + (AUCTIONS / 5) * 500) / Q20_JOIN_RECORDS;
/** q20 less its framework and the bids of category-10 auctions it hands to the sink, per joined record. */
const Q20_JOIN_MICROS = (nexmark(18.98) - FRAMEWORK_MICROS - (BIDS / 5) * EMIT_MICROS) / Q20_JOIN_RECORDS;
/** q4 keeps (auction, price, dateTime) of a bid: 24 bytes; (id, category, dateTime, expires) of an auction: 32. */
const Q4_JOIN_RECORDS = BIDS + AUCTIONS;
const Q4_ROW_BYTES = (BIDS * 24 + AUCTIONS * 32) / Q4_JOIN_RECORDS;
/**
 * q4 less its framework and its MAX per auction: 6M auctions in 5,000-row mini-batches fold almost
 * nothing, so each bid pays a keyed read-modify-write and an accumulate, as a tumbling window count
 * does per record (q12 − q0); its AVG per category (5 keys) folds to ~nothing, and so does its sink.
 */
const Q4_JOIN_MICROS =
  (nexmark(34.33) - FRAMEWORK_MICROS - BIDS * (nexmark(75.67) - NEXMARK_Q0)) / Q4_JOIN_RECORDS;
const JOIN_MICROS_PER_ROW_BYTE = (Q20_JOIN_MICROS - Q4_JOIN_MICROS) / (Q20_ROW_BYTES - Q4_ROW_BYTES);
/** Rows of Nexmark's size (100 bytes, the reference of the keyed costs and shuffleBytesIncluded). */
const JOIN_REFERENCE_ROW_BYTES = 100;
const JOIN_REFERENCE_MICROS =
  Q4_JOIN_MICROS + JOIN_MICROS_PER_ROW_BYTE * (JOIN_REFERENCE_ROW_BYTES - Q4_ROW_BYTES);
/** The widest rows Nexmark's joins keep: q9's whole bids and auctions. */
const Q9_ROW_BYTES = (BIDS * 100 + AUCTIONS * 500) / (BIDS + AUCTIONS);

/**
 * JSON (Jackson databind, which Flink's json format uses): java-json-benchmark raw results
 * 2017-05-21 (fabienrenaud/java-json-benchmark), 1 KB payload: deserialization 783,551 ops/s
 * ⇒ 1.28 ns/byte; serialization 1,489,957 ops/s ⇒ 0.67 ns/byte.
 */
const JSON_DESERIALIZE = round3(1e9 / 783551 / 1000);
const JSON_SERIALIZE = round3(1e9 / 1489957 / 1000);
/**
 * Protobuf relative to JSON, per wire byte: jvm-serializers (eishay/jvm-serializers wiki, JDK 11
 * table) protobuf ser 875 ns / deser 527 ns for 242 bytes vs json/dsl-json ser 565 / deser 1082
 * for 488 bytes ⇒ ×3.12 to serialize, ×0.98 to deserialize per byte.
 */
const PROTOBUF_SER_RATIO = 875 / 242 / (565 / 488);
const PROTOBUF_DESER_RATIO = 527 / 242 / (1082 / 488);
/**
 * Avro: "Flink Serialization Tuning Vol. 1" (Nico Kruber, flink.apache.org, 2020-04-15): Avro
 * records serialize ~20% slower than Protobuf/POJO ⇒ throughput × 0.8 ⇒ time × 1.25.
 */
const AVRO_VS_PROTOBUF = 1.25;

export const defaultModel: Model = {
  version: MODEL_VERSION,
  cpu: {
    // Nexmark q0 pass-through (datagen → blackhole): 155.02 K events/s/core, less the 92% of its
    // events (the bids) handed to the sink (recordEmitMicros): 6.451 − 0.92 × 0.816 = 5.700 µs.
    recordFrameworkMicros: round3(FRAMEWORK_MICROS),
    // Per record a sink receives: Nexmark (q0 − q2) ÷ the bids q2 does not emit (EMIT_MICROS above).
    recordEmitMicros: round3(EMIT_MICROS),
    operatorMicros: {
      // Projection with a string function: Nexmark q22 (SPLIT_INDEX) 129.96 K/s − q0.
      project: round3(PROJECTION_MICROS),
      // Map has no query of its own; charged as the smallest positive stateless increment, q22 − q0.
      map: round3(PROJECTION_MICROS),
      // A filter costs nothing Nexmark resolves: q0's own bid filter is inside q0, and q2's extra
      // predicate is inside what q2 saves by emitting 1 bid in 123 (recordEmitMicros). What a filter
      // saves is the downstream work of the records it drops.
      filter: 0,
      flatmap: round3(PROJECTION_MICROS),
      // User function: Nexmark q21 (CASE WHEN + REGEXP_EXTRACT) 98.49 K/s − q0.
      udf: round3(nexmark(98.49) - NEXMARK_Q0),
      // Unbounded GROUP BY: Nexmark q17 (auction statistics) 116.8 K/s − q0.
      aggregate: round3(nexmark(116.8) - NEXMARK_Q0),
      // Window aggregates are priced per window assignment (windowAssignMicros); 0 here.
      'window-aggregate': 0,
      // Window join: Nexmark q8 (tumbling window join of persons and auctions) 146.14 K/s − q0
      // = 0.39 µs per event, but only 8% of events (persons 2% + auctions 6%) enter the join.
      'window-join': round3((nexmark(146.14) - NEXMARK_Q0) / 0.08),
      // Interval join: Nexmark q7 joins every bid to the max of a 10 s tumbling window within a
      // time bound — 12.33 K/s − q0 − one tumbling window assignment (q12 − q0).
      'interval-join': round3(nexmark(12.33) - NEXMARK_Q0 - (nexmark(75.67) - NEXMARK_Q0)),
      // Regular join keeping rows of 100 bytes, on the line through Nexmark q4 and q20 ("Regular
      // joins by the bytes of the rows they keep", above); cpu.joinRowBytes prices other widths.
      'regular-join': round3(JOIN_REFERENCE_MICROS),
      // Temporal join: no Nexmark query; like a regular join it reads keyed state per probe row
      // and writes a version per build row, so it is charged as one.
      'temporal-join': round3(JOIN_REFERENCE_MICROS),
      // Lookup join, cache hit path: Nexmark q13 (bounded side-input join) 130.73 K/s − q0. Misses
      // cost wall time (lookupLatencyMs), which sizes parallelism, not CPU.
      'lookup-join': round3(nexmark(130.73) - NEXMARK_Q0),
      // Deduplication (ROW_NUMBER keep-last): Nexmark q18 53.7 K/s − q0.
      deduplicate: round3(nexmark(53.7) - NEXMARK_Q0),
      // Top-N (top 10 per auction): Nexmark q19 44.04 K/s − q0, at n = topNReferenceN.
      'top-n': round3(nexmark(44.04) - NEXMARK_Q0),
    },
    // Processing-time tumbling window count: Nexmark q12 75.67 K/s − q0 (one window per record).
    // Check: q5 (hopping 10 s / 2 s = 5 windows per record) predicts 6.45 + 5 × 6.77 = 40.3 µs
    // against 45.2 measured.
    windowAssignMicros: round3(nexmark(75.67) - NEXMARK_Q0),
    // Flink SQL's window TVFs slice hopping and cumulate windows: a record updates one slice, and a
    // window merges its slices' accumulators when it fires (SliceAssigners, SlicingWindowOperator).
    // A merge reads one accumulator from keyed state and folds it in — priced as what a group
    // aggregate pays per record in Nexmark q17 (116.8 K/s − q0), a state read and an accumulate.
    sliceMergeMicros: round3(nexmark(116.8) - NEXMARK_Q0),
    // Nexmark ran group aggregations with mini-batch (2 s / 5000 rows), so q17 measured an
    // aggregate whose state reads and writes were folded per key and batch. A tumbling window
    // count (q12, 75.67 K/s; windows do not mini-batch) touches its state on every record: the
    // difference, q12 − q17 = 13.215 − 8.562 µs, is one keyed-state read-modify-write per record.
    stateAccessMicros: round3(nexmark(75.67) - nexmark(116.8)),
    // Session windows: Nexmark q11 (user sessions) 39.7 K/s − q0.
    sessionWindowMicros: round3(nexmark(39.7) - NEXMARK_Q0),
    // Per record and distinct set (a DISTINCT argument's MapState, shared by its FILTER variants),
    // read and written for every record: mini-batch folds the accumulator, not the MapView
    // (DISTINCT_MICROS above: Nexmark q15 and q16, geometric mean, less q17, over 2 sets × 92%).
    distinctAggregateMicros: round3(DISTINCT_MICROS),
    // Regular and temporal joins on RocksDB by the bytes of a kept row (Nexmark q4 and q20, above):
    // operatorMicros is the price at referenceBytes; between the narrowest and widest rows Nexmark
    // measured, each byte more or less moves it by shareOfReferencePerByte of that price (0.405 µs
    // of 48.165; a share, so a calibrated join keeps its width dependence); beyond, only serialization.
    joinRowBytes: {
      referenceBytes: JOIN_REFERENCE_ROW_BYTES,
      shareOfReferencePerByte: Math.round((JOIN_MICROS_PER_ROW_BYTE / JOIN_REFERENCE_MICROS) * 1e6) / 1e6,
      measuredFromBytes: round3(Q4_ROW_BYTES),
      measuredToBytes: round3(Q9_ROW_BYTES),
    },
    // Nexmark q19 keeps the top 10; cost grows with log2(n + 1) (a sorted buffer per key).
    topNReferenceN: 10,
    // Flink's POJO serializer runs 1/0.36 the operations of registered Kryo ("Flink Serialization
    // Tuning Vol. 1": registered Kryo has "64% fewer operations than … a POJO"); jvm-serializers
    // (JDK 11) kryo-registered-flat: 740 + 735 ns for 218 bytes ⇒ 6.77 ns/byte × 0.36.
    shuffleNanosPerByte: round3(((740 + 735) / 218) * 0.36),
    // Nexmark's Bid rows average 100 bytes (avgBidByteSize in the Nexmark configuration, as in
    // Beam's); the keyed Nexmark costs above already include hashing rows of that size.
    shuffleBytesIncluded: 100,
    // "3 important performance factors for stateful functions and operators" (Ververica): the heap
    // backend keeps objects and serializes only on snapshots, RocksDB (de)serializes on every
    // access. Priced at Flink's serializer speed (shuffleNanosPerByte).
    stateSerdeNanosPerByte: round3(((740 + 735) / 218) * 0.36),
    complexity: {
      simple: { statelessKind: 'project', costFactor: 1 },
      medium: { statelessKind: 'udf', costFactor: 1 },
      // jbcodeforce/flink-studies "Sizing": ~10,000 records/s per CPU for simple jobs, ~5,000 for
      // substantial ones; flink-estimator's MEDIUM_RPS 11,000 vs COMPLEX_RPS 5,500 — both ×2.
      complex: { statelessKind: 'udf', costFactor: 2 },
    },
    sources: {
      kafka: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'json' },
      // No published Flink measurement for these; priced like Kafka (a networked log consumer).
      kinesis: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'json' },
      cdc: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'json' },
      // Reading files: only parsing is charged (framework is in recordFrameworkMicros).
      filesystem: { fixedMicrosPerRecord: 0, defaultFormat: 'csv' },
      // datagen is what Nexmark q0 measured: its cost is recordFrameworkMicros.
      datagen: { fixedMicrosPerRecord: 0, defaultFormat: 'raw' },
    },
    sinks: {
      kafka: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'json' },
      // Nexmark q10 (write every bid to a partitioned file system) 57.81 K/s − q0, over the 92% of
      // events that are bids (both emit them), formatting included.
      filesystem: {
        fixedMicrosPerRecord: round3((nexmark(57.81) - NEXMARK_Q0) / BIDS),
        defaultFormat: 'raw',
      },
      // Iceberg writes files like the filesystem sink; priced as q10.
      iceberg: { fixedMicrosPerRecord: round3((nexmark(57.81) - NEXMARK_Q0) / BIDS), defaultFormat: 'raw' },
      // No published Flink measurement; priced like Kafka (a batched network client).
      jdbc: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'raw' },
      elasticsearch: { fixedMicrosPerRecord: KAFKA_CONNECTOR_MICROS, defaultFormat: 'json' },
      // Discards records; handing them to it is recordEmitMicros (Nexmark q0 − q2).
      blackhole: { fixedMicrosPerRecord: 0, defaultFormat: 'raw' },
    },
    formats: {
      json: { deserializeNanosPerByte: JSON_DESERIALIZE, serializeNanosPerByte: JSON_SERIALIZE },
      // No published CSV benchmark for Flink's csv format; text parsing priced as JSON.
      csv: { deserializeNanosPerByte: JSON_DESERIALIZE, serializeNanosPerByte: JSON_SERIALIZE },
      protobuf: {
        deserializeNanosPerByte: round3(JSON_DESERIALIZE * PROTOBUF_DESER_RATIO),
        serializeNanosPerByte: round3(JSON_SERIALIZE * PROTOBUF_SER_RATIO),
      },
      avro: {
        deserializeNanosPerByte: round3(JSON_DESERIALIZE * PROTOBUF_DESER_RATIO * AVRO_VS_PROTOBUF),
        serializeNanosPerByte: round3(JSON_SERIALIZE * PROTOBUF_SER_RATIO * AVRO_VS_PROTOBUF),
      },
      // Bytes passed through unparsed.
      raw: { deserializeNanosPerByte: 0, serializeNanosPerByte: 0 },
    },
  },
  lookup: {
    // No default exists in Flink (it depends on the external system); 5 ms is a same-region
    // database round trip, stated as an assumption in the explanation.
    defaultLatencyMs: 5,
    // table.exec.async-lookup.buffer-capacity default (Flink ExecutionConfigOptions): 100.
    defaultAsyncCapacity: 100,
  },
  state: {
    // Metzger's back-of-the-envelope example aggregates 4 longs per key and counts 40 bytes per
    // key and window (docs/model.md, "Network bandwidth").
    defaultAggregateBytesPerKey: 40,
    // RocksDB internal keys append 8 bytes (7-byte sequence number + 1-byte type) to the user key
    // (RocksDB wiki, "MemTable" / internal key format).
    rocksdbInternalKeyBytes: 8,
    // Leveled compaction with the default level multiplier 10 keeps ~90% of data in the last level:
    // space amplification ≈ 1.111 (RocksDB wiki, "Leveled Compaction").
    rocksdbSpaceAmplification: 1.111,
    // CopyOnWriteStateMap.StateMapEntry holds key, namespace, state and next references plus
    // entryVersion, stateVersion and hash ints: 12-byte header + 4 × 4 + 3 × 4 = 40 bytes with
    // compressed oops, a 4-byte table slot, and ~16-byte headers on the key and state objects.
    heapEntryOverheadBytes: 40 + 4 + 16 + 16,
    // StateTtlConfig: "state backends store the timestamp of the last modification along with the
    // user value" — a long.
    ttlTimestampBytes: 8,
    // TimeWindow namespace = start + end longs (TimeWindow.Serializer).
    windowNamespaceBytes: 16,
    // VoidNamespaceSerializer writes one byte.
    voidNamespaceBytes: 1,
    // An event-time timer per key and window: timestamp long + window namespace (TimerSerializer).
    timerBytes: 8 + 16,
    // A COUNT(DISTINCT x) keeps a MapState<x, count> per key: assumed one 8-byte value + 8-byte count.
    distinctEntryBytes: 16,
    // Assumption, stated in the UNBOUNDED_STATE warning: without a TTL a regular join keeps every
    // row; when no key count bounds it, the estimate shows 24 hours of input.
    unboundedJoinAssumedRetentionSeconds: 24 * 3600,
    // Model choice: the HashMap backend keeps the whole state on the JVM heap and writes all of it at
    // every checkpoint (incremental checkpoints are RocksDB's — Flink docs, "State Backends"). Above
    // 512 MiB of job state — the most one slot keeps on its heap (below) — the estimator picks
    // RocksDB when the user has not chosen, so HashMap state never needs spreading over more
    // subtasks than the load asks for, and a slot's heap stays a size any node takes. Decided on the
    // job's total, not per slot, so the choice never depends on the parallelism the load leads to.
    // (At 2 GiB, as before 2026.12h, 1.91 GiB at 1,000 records/s needed a 6 GiB pod on HashMap; on
    // RocksDB it needs 1,280 MiB. Of 90 jobs with 0.5–2 GiB on the heap none was cheaper on
    // HashMap: docs/model.md, "State per slot and local disk".)
    hashmapMaxStateBytes: 512 * MiB,
    // Model choice: heap state above ~512 MiB per slot pushes GC pauses up; a user's HashMap choice
    // beyond it gets STATE_TOO_LARGE_FOR_HEAP.
    hashmapMaxStateBytesPerSlot: 512 * MiB,
    // G1 starts concurrent marking at 45% old-generation occupancy (-XX:InitiatingHeapOccupancyPercent
    // default 45, Oracle "Garbage-First Garbage Collector Tuning"): heap state is kept below it.
    heapStateMaxOccupancy: 0.45,
    // RocksDB ColumnFamilyOptions write_buffer_size default 64 MiB; Flink's arena block is
    // ceil4K(write buffer / 8) (RocksDBMemoryControllerUtils, docs/model.md, "RocksDB memory").
    rocksdbWriteBufferBytes: 64 * MiB,
    // state.backend.rocksdb.memory.write-buffer-ratio default 0.5.
    rocksdbWriteBufferRatio: 0.5,
    // state.backend.rocksdb.block.blocksize default 4 KB.
    rocksdbBlockBytes: 4 * KiB,
    // An index entry per data block: separator key + block handle (offset, size varints ≈ 12 B).
    rocksdbIndexEntryOverheadBytes: 12,
    // Model assumption: a serialized state key of at most 64 bytes. RocksDB's index keeps one
    // separator per data block, shortened to lie between two blocks' keys (BlockBasedTableBuilder
    // with BytewiseComparator::FindShortestSeparator), so an index entry holds a key, never a value.
    rocksdbIndexKeyBytes: 64,
    // jbcodeforce/flink-estimator: RocksDB local disk = state × 1.5 (room for compaction).
    rocksdbLocalDiskFactor: 1.5,
    // Model assumption (Flink gives no rule), stated in the explanation: the block cache should
    // hold the working set, not the database (RocksDB wiki, "Block Cache" and "RocksDB Tuning
    // Guide"); a tenth of a slot's data blocks stands for the hot keys and the recent windows.
    rocksdbHotStateShare: 0.1,
    // Most RocksDB state per slot. Model assumption: 64 GiB, and less when a restore would not fit
    // the restart time — one download stream per slot at the S3 guideline's 85 MB/s × restartSeconds
    // (300 s → 25.5 GB). Flink's "Large State Tuning" guide asks for capacity sized by restore time.
    rocksdbMaxStatePerSlotBytes: 64 * GiB,
    // … but never below 1 GiB per slot, whatever the restart target (a 0 s restart is not a limit).
    rocksdbMinStatePerSlotBytes: GiB,
    // Local disk per core: AWS Managed Service for Apache Flink gives each KPU (1 vCPU + 4 GB)
    // 50 GB of running application storage, RocksDB's working directory among it — a cited bound
    // that grows with the TaskManager. A slot's share is this ÷ the slots sharing a core
    // (more with I/O-bound slots) ÷ rocksdbLocalDiskFactor; nodes.ts, stateLimitPerSlot.
    rocksdbMaxLocalDiskPerCoreBytes: 50e9,
    // Model assumption: at most 2 GiB of data cache per slot; beyond it reads go to local disk,
    // which RocksDB is built for, and the container would grow with the state it keeps on disk.
    rocksdbMaxDataCachePerSlotBytes: 2 * GiB,
  },
  taskManager: {
    // Flink's shipped TaskManager (process.size 1728m, 1 slot) gives the slot a task heap of
    // 402,653,174 bytes (docs/model.md, "Working set on the heap"): the per-slot working set Flink itself plans for.
    taskHeapPerSlotBytes: 402653174,
    // Only to pick CPU for a container size the user fixed: AWS Managed Service for Apache Flink's
    // 1 KPU = 1 vCPU + 4 GB. The plan's own containers are sized by need, not per core.
    processBytesPerCore: 4 * GiB,
    // Containers are rounded up to whole 256 MiB steps (tidy pod sizes; at most 255 MiB more
    // task heap than needed).
    processStepBytes: 256 * MiB,
    // A container bigger than 32 GiB is split into more TaskManagers (sensible pod sizes).
    maxProcessBytes: 32 * GiB,
    // Common container shapes; 8 is jbcodeforce/flink-estimator's "CP Flink node".
    cpuCandidates: [1, 2, 4, 8],
    // Subtasks blocked on synchronous I/O (a lookup join waiting for its database) need a slot and
    // a thread, not a core: AWS Managed Service for Apache Flink allows up to 8 slots per KPU
    // (ParallelismPerKPU, "for applications that spend most of their time on blocking I/O").
    maxSlotsPerCoreIoBound: 8,
    // The job parallelism is raised until the busiest slot needs at most one core at the target
    // utilization, and TaskManagers get one slot per core: numberOfTaskSlots is "typically
    // proportional to the number of physical CPU cores … (e.g. equal to the number of cores)"
    // (Flink configuration docs).
    targetCoresPerSlot: 1,
    // Model choice (docs/model.md, "Stable shapes"): up to 8 TaskManagers of one CPU size, then
    // the next size, so the count grows smoothly and a TaskManager never shrinks as load grows;
    // rounding the parallelism up to whole TaskManagers then costs at most ~25% at a step.
    taskManagersPerSize: 8,
  },
  jobManager: {
    // Flink's shipped jobmanager.memory.process.size (1600m, config.yaml): 1 GiB of heap, the
    // floor — a JobManager smaller than Flink's own default buys nothing worth the risk.
    minProcessBytes: 1600 * MiB,
    // Model assumption: Dispatcher, ResourceManager, blob server and REST endpoint at rest. Flink
    // warns below 128 MiB of heap (JobManagerProcessUtils MIN_JVM_HEAP_SIZE); twice that idles.
    baseHeapBytes: 256 * MiB,
    // Model assumption per subtask (ExecutionVertex + Execution, the attempt history kept by
    // jobmanager.execution.attempts-history-size = 16, IO metrics and accumulators). Since Flink
    // 1.14 the execution topology is linear in the tasks ("How We Improved Scheduler Performance
    // for Large-scale Jobs", flink.apache.org, 2022: 30 GiB of heap for 20,000 all-to-all tasks in
    // 1.12, before the edges were grouped).
    heapBytesPerTask: 64 * KiB,
    // A subtask's state handle in the checkpoint metadata (operator id, key-group range, handle
    // objects): model assumption of 1 KiB …
    stateHandleBytes: KiB,
    // … plus, for incremental RocksDB checkpoints, one shared-state handle per SST file (path and
    // size; model assumption of 256 bytes each) …
    sharedStateHandleBytes: 256,
    // … of RocksDB's default target file size, 64 MiB (target_file_size_base).
    sstFileBytes: 64 * MiB,
    // Full checkpoints inline state smaller than execution.checkpointing.data-inline-threshold
    // (formerly state.storage.fs.memory-threshold), default 20 KiB, into the metadata itself.
    inlineStateThresholdBytes: 20 * KiB,
    // web.checkpoints.history default 10 checkpoints of statistics …
    checkpointHistory: 10,
    // … each with SubtaskStateStats per subtask (model assumption: 512 bytes).
    subtaskCheckpointStatsBytes: 512,
    // Model assumption per registered TaskManager (registration, slot report, heartbeat targets,
    // the metric fetcher's cache for the web UI).
    heapBytesPerTaskManager: 256 * KiB,
    // Model assumption: one JobManager core per 2,000 subtasks (its RPC main thread deploys and
    // coordinates checkpoints for all of them; cluster.io-pool.size follows the cores).
    tasksPerCore: 2000,
  },
  network: {
    // taskmanager.network.memory.buffers-per-channel and floating-buffers-per-gate defaults (2, 8),
    // NettyShuffleEnvironmentOptions release-1.20 (docs/model.md, "Network buffers").
    buffersPerChannel: 2,
    floatingBuffersPerGate: 8,
    // taskmanager.memory.segment-size default 32kb.
    segmentBytes: 32 * KiB,
    // Headroom over the exchanges' buffers: the Flink Kubernetes Operator's memory tuning adds
    // 20% to what it measures (job.autoscaler.memory.tuning.overhead default 0.2).
    headroom: 1.2,
    // Never below Flink's own floor, taskmanager.memory.network.min default 64m.
    minBytes: 64 * MiB,
    // Warn above the same 70% the autoscaler targets for CPU (job.autoscaler.utilization.target).
    nicWarnUtilization: 0.7,
  },
  checkpoint: {
    // AWS "Performance guidelines for Amazon S3": "Make one concurrent request for each 85–90 MB/s
    // of desired network throughput" ⇒ 85 MB/s per upload stream …
    bytesPerSecondPerTransferThread: 85e6,
    // … × state.backend.rocksdb.checkpoint.transfer.thread.num default 4 (docs/model.md, "RocksDB memory").
    transferThreads: 4,
    // Warn when a checkpoint takes more than half its interval (little time left to make progress).
    warnFractionOfInterval: 0.5,
  },
  window: {
    // Model assumption: a window fires all its keys at once (Flink docs, "Windows"; "Large State
    // Tuning": plan for bursty window emission). While the burst drains, the window's input is
    // backpressured and its results arrive late; more than a tenth of the firing interval is worth
    // a warning (the autoscaler's 0.7 utilization target leaves 0.3 of each interval as headroom,
    // which the burst and the catch-up after it share).
    burstWarnFractionOfFireInterval: 0.1,
  },
  parallelism: {
    // Key-group skew accepted without a warning: a subtask with 10% more key groups than average.
    keyGroupSkewTolerance: 1.1,
    // Max parallelism values with many divisors, from the Flink Kubernetes Operator autoscaler docs
    // (120, 180, 240, 360, 720, … : highly composite, so rescales stay even), and 128: the max
    // parallelism Flink itself gives any job of parallelism ≤ 85 (KeyGroupRangeAssignment's lower
    // bound) and the largest with a 1-byte key-group prefix per RocksDB key
    // (CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix) — it divides by the
    // ladder's 8, 16 and 32 slots, which 180, 240 and 360 do not all do.
    recommendedMaxParallelisms: [120, 128, 180, 240, 360, 720, 1440, 2520, 5040, 10080, 20160],
    // Model choice: a new job's max parallelism leaves room to scale up 4× (the autoscaler can then
    // quadruple the job and still split key groups evenly) …
    maxParallelismRoom: 4,
    // … and is one of the first 4 values with that room: Flink's docs warn that a very large max
    // parallelism "can be detrimental to performance because some state backends have to keep
    // internal data structures that scale with the number of key-groups" ("Parallel Execution",
    // Setting the Maximum Parallelism; the HashMap backend's per-key-group state maps and timer
    // heaps, FLINK-36343), and checkpoints record every key group's offset. So a parallelism is
    // rounded up to one dividing a modest value instead of getting 2520 or 20160 key groups (28 or
    // 64 subtasks before). Why 4, not fewer: the ladder's slots per TaskManager must divide the
    // parallelism too, and with 64 slots (8 CPU of I/O-bound slots) only 20160 of the list has
    // 2⁶ — 576 subtasks would otherwise jump to 960.
    maxParallelismChoices: 4,
  },
};
