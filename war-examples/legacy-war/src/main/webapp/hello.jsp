<%@ page contentType="text/plain; charset=UTF-8" %>
<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>
<%-- A javax-era JSP with the JSTL 1.2 core tags, compiled by the ee8 environment's JSP engine. --%>
legacy jsp: servlet API <%= application.getMajorVersion() %>.<%= application.getMinorVersion() %>
forEach: <c:forEach var="i" begin="1" end="3">item-${i};</c:forEach>
