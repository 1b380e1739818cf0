# SPDX-License-Identifier: EUPL-1.2
"""The DCAT-AP.de record parses back (Turtle and RDF/XML) with the properties harvesters need."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from loket_statistics.publication.dcat import DCATDE, SPDX
from loket_statistics.publication.release_files import release_files
from loket_statistics.publication.tables import month_table

from .samples import PROCESSES, PUBLIC_URL, SETTINGS, october, tenant

RELEASE = f"{PUBLIC_URL}/open-data/musterstadt/releases/3/"


@pytest.fixture(scope="module")
def files():
    return {each["name"]: each for each in release_files(
        month_table(october(), PROCESSES, SETTINGS), tenant(), PUBLIC_URL, 3,
        "2026-11-01T00:05:00+00:00")}


@pytest.mark.parametrize(("name", "form"), [("dcat.ttl", "turtle"), ("dcat.rdf", "xml")])
def test_the_record_has_what_dcat_ap_de_requires(files, name, form):
    graph = Graph().parse(data=files[name]["content"], format=form)
    dataset = URIRef(RELEASE)
    assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert (URIRef(f"{PUBLIC_URL}/open-data/musterstadt/"), ns.DCAT.dataset, dataset) in graph
    titles = {title.language for title in graph.objects(dataset, ns.DCTERMS.title)}
    descriptions = {text.language for text in graph.objects(dataset, ns.DCTERMS.description)}
    assert titles == descriptions == {"de", "en"}
    publisher = graph.value(dataset, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Organization) in graph
    assert str(graph.value(publisher, ns.FOAF.name)) == "Stadt Musterstadt, Bürgerservice"
    assert graph.value(dataset, DCATDE.contributorID) is not None
    assert graph.value(dataset, ns.DCTERMS.license) == URIRef(
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert graph.value(dataset, ns.DCAT.theme) == URIRef(
        "http://publications.europa.eu/resource/authority/data-theme/GOVE")
    period = graph.value(dataset, ns.DCTERMS.temporal)
    assert (period, ns.RDF.type, ns.DCTERMS.PeriodOfTime) in graph
    assert graph.value(period, ns.DCAT.startDate) == Literal("2026-10-01", datatype=ns.XSD.date)
    assert graph.value(period, ns.DCAT.endDate) == Literal("2026-10-31", datatype=ns.XSD.date)
    municipality = URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999999")
    assert graph.value(dataset, ns.DCTERMS.spatial) == municipality
    assert graph.value(dataset, DCATDE.politicalGeocodingURI) == municipality
    assert graph.value(dataset, DCATDE.politicalGeocodingLevelURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality")


@pytest.mark.parametrize(("name", "form"), [("dcat.ttl", "turtle"), ("dcat.rdf", "xml")])
def test_every_distribution_names_its_file_and_hash(files, name, form):
    graph = Graph().parse(data=files[name]["content"], format=form)
    distributions = list(graph.objects(URIRef(RELEASE), ns.DCAT.distribution))
    assert len(distributions) == 2
    found = {}
    for distribution in distributions:
        download = str(graph.value(distribution, ns.DCAT.downloadURL))
        assert str(graph.value(distribution, ns.DCAT.accessURL)) == RELEASE
        assert graph.value(distribution, ns.DCTERMS.format) is not None
        assert graph.value(distribution, ns.DCAT.mediaType) is not None
        checksum = graph.value(distribution, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        found[download.removeprefix(RELEASE)] = str(graph.value(checksum, SPDX.checksumValue))
    assert found == {"statistics.csv": files["statistics.csv"]["sha256"],
                     "statistics.json": files["statistics.json"]["sha256"]}


def test_the_same_release_always_gives_the_same_bytes(files):
    again = {each["name"]: each for each in release_files(
        month_table(october(), PROCESSES, SETTINGS), tenant(), PUBLIC_URL, 3,
        "2026-11-01T00:05:00+00:00")}
    assert {name: each["sha256"] for name, each in again.items()} == {
        name: each["sha256"] for name, each in files.items()}
