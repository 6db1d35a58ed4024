"""Differential cases: the `catalog` group. `spark.catalog` over temporary
views, global temporary views, the cache and the built-in functions (there
are no persistent tables yet). Each case makes the views it reads; listings
are narrowed to this group's `cat_` names, as the session is shared."""

from . import c

_VIEW = "spark.range(3).selectExpr('id', 'CAST(id AS STRING) AS s', 'id * 1.5D AS d').createOrReplaceTempView('cat_v')"
_GLOBAL = "spark.range(1).createOrReplaceGlobalTempView('cat_g')"


def with_views(name, call, *setup):
    """A case evaluating `call` after the `setup` statements."""
    return c(name, "(" + ", ".join(list(setup) + [call]) + ")[-1]")


CATALOG = [
    c("current_catalog", "spark.catalog.currentCatalog()"),
    c("set_current_catalog", "spark.catalog.setCurrentCatalog('spark_catalog')"),
    c("set_current_catalog_unknown", "spark.catalog.setCurrentCatalog('no_such_catalog')"),
    c("list_catalogs", "spark.catalog.listCatalogs()"),
    c("list_catalogs_pattern", "spark.catalog.listCatalogs('spark*')"),
    c("list_catalogs_pattern_none", "spark.catalog.listCatalogs('x*')"),
    c("current_database", "spark.catalog.currentDatabase()"),
    c("set_current_database", "spark.catalog.setCurrentDatabase('default')"),
    c("set_current_database_unknown", "spark.catalog.setCurrentDatabase('no_such_db')"),
    c("list_databases", "[(d.name, d.catalog, d.description) for d in spark.catalog.listDatabases()]"),
    c("list_databases_pattern_none", "spark.catalog.listDatabases('x*')"),
    c("get_database", "(lambda d: (d.name, d.catalog, d.description))(spark.catalog.getDatabase('default'))"),
    c("get_database_unknown", "spark.catalog.getDatabase('no_such_db')"),
    c("database_exists", "[spark.catalog.databaseExists('default'), spark.catalog.databaseExists('DEFAULT'), spark.catalog.databaseExists('no_such_db'), spark.catalog.databaseExists('global_temp')]"),
    with_views("list_tables", "spark.catalog.listTables(pattern='cat_v')", _VIEW),
    with_views("list_tables_default", "spark.catalog.listTables('default', 'cat_v')", _VIEW),
    with_views("list_tables_global_temp", "spark.catalog.listTables('global_temp', 'cat_g|cat_v')", _VIEW, _GLOBAL),
    c("list_tables_unknown_database", "spark.catalog.listTables('no_such_db')"),
    with_views("get_table", "spark.catalog.getTable('cat_v')", _VIEW),
    with_views("get_table_global", "spark.catalog.getTable('global_temp.cat_g')", _GLOBAL),
    c("get_table_missing", "spark.catalog.getTable('cat_missing')"),
    with_views("table_exists", "[spark.catalog.tableExists('cat_v'), spark.catalog.tableExists('CAT_V'), spark.catalog.tableExists('cat_missing'), spark.catalog.tableExists('cat_v', 'default'), spark.catalog.tableExists('cat_g', 'global_temp'), spark.catalog.tableExists('global_temp.cat_g')]", _VIEW, _GLOBAL),
    with_views("list_columns", "spark.catalog.listColumns('cat_v')", _VIEW),
    with_views("list_columns_global", "spark.catalog.listColumns('global_temp.cat_g')", _GLOBAL),
    with_views("list_columns_nested", "spark.catalog.listColumns('cat_n')", "spark.sql(\"SELECT named_struct('a', 1, 'b', array('x')) AS st, map(1, 2.5D) AS m, CAST(NULL AS DECIMAL(10, 2)) AS dec\").createOrReplaceTempView('cat_n')"),
    c("list_columns_missing", "spark.catalog.listColumns('cat_missing')"),
    with_views("list_columns_with_database", "spark.catalog.listColumns('cat_v', 'default')", _VIEW),
    c("list_functions_pattern", "spark.catalog.listFunctions(pattern='array_*')"),
    c("list_functions_operators", "spark.catalog.listFunctions(pattern='!*')"),
    c("list_functions_count", "len(spark.catalog.listFunctions()) > 500"),
    c("get_function", "spark.catalog.getFunction('abs')"),
    c("get_function_upper", "spark.catalog.getFunction('UPPER')"),
    c("get_function_missing", "spark.catalog.getFunction('no_such_function')"),
    c("function_exists", "[spark.catalog.functionExists('abs'), spark.catalog.functionExists('Concat_WS'), spark.catalog.functionExists('no_such_function'), spark.catalog.functionExists('abs', 'default')]"),
    with_views("drop_temp_view", "[spark.catalog.dropTempView('cat_d'), spark.catalog.dropTempView('cat_d'), spark.catalog.tableExists('cat_d')]", "spark.range(1).createOrReplaceTempView('cat_d')"),
    with_views("drop_global_temp_view", "[spark.catalog.dropGlobalTempView('cat_gd'), spark.catalog.dropGlobalTempView('cat_gd')]", "spark.range(1).createOrReplaceGlobalTempView('cat_gd')"),
    with_views("cache_lifecycle", "[spark.catalog.isCached('cat_c'), spark.catalog.cacheTable('cat_c'), spark.catalog.isCached('cat_c'), spark.table('cat_c').count(), spark.catalog.uncacheTable('cat_c'), spark.catalog.isCached('cat_c')]", "spark.range(4).createOrReplaceTempView('cat_c')"),
    with_views("clear_cache", "[spark.catalog.cacheTable('cat_cc'), spark.catalog.clearCache(), spark.catalog.isCached('cat_cc')]", "spark.range(4).createOrReplaceTempView('cat_cc')"),
    c("is_cached_missing", "spark.catalog.isCached('cat_missing')"),
    c("cache_table_missing", "spark.catalog.cacheTable('cat_missing')"),
    c("uncache_table_missing", "spark.catalog.uncacheTable('cat_missing')"),
    with_views("refresh_table", "spark.catalog.refreshTable('cat_v')", _VIEW),
    c("refresh_table_missing", "spark.catalog.refreshTable('cat_missing')"),
    c("refresh_by_path", "spark.catalog.refreshByPath('/tmp/no/such/path')"),
    with_views("recover_partitions_of_view", "spark.catalog.recoverPartitions('cat_v')", _VIEW),
    with_views("list_views", "spark.catalog.listViews(pattern='cat_v')", _VIEW),
    with_views("drop_view", "[spark.catalog.dropView('cat_dv'), spark.catalog.tableExists('cat_dv'), spark.catalog.dropView('cat_dv', ifExists=True)]", "spark.range(1).createOrReplaceTempView('cat_dv')"),
    c("drop_view_missing", "spark.catalog.dropView('cat_missing')"),
    with_views("drop_table_of_view", "[spark.catalog.dropTable('cat_dt'), spark.catalog.tableExists('cat_dt'), spark.catalog.dropTable('cat_dt', ifExists=True)]", "spark.range(1).createOrReplaceTempView('cat_dt')"),
    with_views("temp_view_read_after_listing", "spark.table('cat_v').where('id > 0')", _VIEW, "spark.catalog.listTables()"),
]
