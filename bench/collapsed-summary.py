#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file of `fjord all` (bench/run-e2e.sh ASYNC_PROFILER=...):
the share of CPU samples by part of the server (JIT, GC, broker, Jetty, ingester, producer) and by
hot spot (inclusive: a sample counts for every pattern its stack matches).
  bench/collapsed-summary.py RUN/ingest.collapsed
"""
import collections
import re
import sys

PARTS = [  # first match wins; matched against the whole stack
    ('JIT compiler threads', r'CompileBroker'),
    ('GC', r'G1|GCTaskThread|WorkerThread::run|ConcurrentGCThread'),
    ('Jetty threads (HTTP, push handler, producer send)', r'org/eclipse/jetty|org\.eclipse\.jetty'),
    ('ingester Kafka Streams thread', r'kafka/streams|kafka\.streams'),
    ('producer sender thread', r'producer/internals/Sender|producer\.internals\.Sender'),
    ('Kafka broker', r'kafka/server|kafka\.server|kafka/network|kafka\.network|kafka/raft|kafka\.raft|kafka/storage|kafka\.storage'),
]
SPOTS = [
    ('distributor push handler', r'PushRoutes\.push'),
    ('  JSON decode', r'JsonPushDecoder\.decode'),
    ('  protobuf decode (snappy included)', r'ProtobufPushDecoder\.decode'),
    ('  validation', r'PushValidator\.validate'),
    ('  record encoding', r'LogRecordCodec\.encodeValue'),
    ('  KafkaProducer.send', r'KafkaProducer\.send'),
    ('request histogram (RequestDurations)', r'RequestDurations\.record'),
    ('broker produce handling', r'handleProduceRequest'),
    ('broker fetch handling', r'handleFetchRequest'),
    ('broker request metrics', r'updateRequestMetrics'),
    ('ingester consumer poll', r'KafkaConsumer\.poll|ClassicKafkaConsumer\.poll'),
    ('ingester IngestProcessor', r'IngestProcessor\.process'),
    ('  StreamMemory.append', r'StreamMemory\.append'),
    ('  snappy block compression', r'BlockCodec\.encode'),
    ('lz4 (producer, broker, consumer)', r'[Ll][Zz]4|jpountz|XXHash'),
    ('kernel frames', r'_\[k\]'),
]

total = 0
parts = collections.Counter()
spots = collections.Counter()
with open(sys.argv[1]) as f:
    for line in f:
        stack, _, n = line.rstrip().rpartition(' ')
        n = int(n)
        total += n
        part = next((name for name, p in PARTS if re.search(p, stack)), 'other')
        parts[part] += n
        for name, p in SPOTS:
            if re.search(p, stack):
                spots[name] += n
work = total - parts['JIT compiler threads'] - parts['GC']
print(f'{total} samples (1 ms of CPU each); work (all but JIT and GC): {work}')
print('| part | % of all | % of work |\n|---|---:|---:|')
for name, _ in PARTS + [('other', '')]:
    w = '' if name in ('JIT compiler threads', 'GC') else f'{100 * parts[name] / work:.1f}'
    print(f'| {name} | {100 * parts[name] / total:.1f} | {w} |')
print('| hot spot (inclusive) | % of all | % of work |\n|---|---:|---:|')
for name, _ in SPOTS:
    print(f'| {name} | {100 * spots[name] / total:.1f} | {100 * spots[name] / work:.1f} |')
