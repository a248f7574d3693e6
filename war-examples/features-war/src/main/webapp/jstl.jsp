<%@ page contentType="text/plain; charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fmt" uri="jakarta.tags.fmt" %>
<%-- A JSP compiled on the container's JSP engine, with the JSTL the environment ships: core and fmt tags. --%>
<fmt:setLocale value="en_US"/>
jsp: servlet API <%= application.getMajorVersion() %>.<%= application.getMinorVersion() %>
forEach: <c:forEach var="i" begin="1" end="3">item-${i};</c:forEach>
formatNumber: <fmt:formatNumber value="1234567.891" pattern="#,##0.00"/>
